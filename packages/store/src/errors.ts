/** The store cannot be used as asked: a bad location, a lock held elsewhere, a bad config. */
export class StoreError extends Error {
  override name = "StoreError";
}

/** Another process is using the store (an embedded store's lock file, or a sync's lock). */
export class StoreBusyError extends StoreError {
  override name = "StoreBusyError";
}

/**
 * Money in a currency the store cannot keep where it was asked to: a code that is not ISO 4217
 * upper case, a batch that mixes currencies, or entries in another currency than the account's
 * ledger (an account's running balance only means something in one currency). Nothing of what
 * was refused is written.
 */
export class CurrencyError extends StoreError {
  override name = "CurrencyError";
}

/**
 * An entry the store cannot keep as the provider gave it: its id is longer than the indexes
 * that make each entry exactly once can hold (`MAX_ID_BYTES`). A provider's ids are tens of
 * bytes; one this long is a broken or hostile answer, and changing it (cutting or hashing it)
 * would change which entry it is. Thrown before anything of its batch is loaded: the sync
 * records it and stops for that account, with everything before the batch committed.
 */
export class EntryRefusedError extends StoreError {
  override name = "EntryRefusedError";
}

/** Why a copy was refused (`CopyRefusedError.reason`). */
export type CopyRefusal = "same-store" | "schema" | "not-empty";

/**
 * A copy of one store into another was refused before anything was written: the two are one
 * store, their schemas differ (another version, or a hand-made change), or the target holds rows
 * (a copy never mixes two ledgers, nor overwrites one).
 */
export class CopyRefusedError extends StoreError {
  override name = "CopyRefusedError";
  readonly reason: CopyRefusal;

  constructor(reason: CopyRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}
