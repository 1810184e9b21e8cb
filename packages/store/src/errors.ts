/** The store cannot be used as asked: a bad location, a lock held elsewhere, a bad config. */
export class StoreError extends Error {
  override name = "StoreError";
}

/** Another process is using the store (an embedded store's lock file, or a sync's lock). */
export class StoreBusyError extends StoreError {
  override name = "StoreBusyError";
}
