import { recordSyncFailure } from "./outcome.js";
import { buildReadIndexes, deferReadIndexes } from "./read-indexes.js";
import type { Store } from "./store.js";
import type { AccountRef, EntrySource, StoreEntry, SyncWindow } from "./types.js";
import { markVanished, upsertBatch } from "./upsert.js";

/**
 * How far before the high-water mark each sync starts reading: 48 hours. Rows land late — a
 * WaveSpeed charge is booked when its prediction is created but may appear only once it
 * completes, a refund or a settled top-up can show up a day later, and a provider's reporting
 * may lag across a day boundary. Two days of re-reading costs a few pages per account and
 * catches those rows, and it is also the window in which changed rows are noticed.
 */
export const DEFAULT_OVERLAP_MS = 48 * 3_600_000;

/**
 * The longest a sync holds rows before it commits them: the source's pages are gathered up to
 * the engine's batch size (`Database.commitRows`) or for this long, whichever comes first, so
 * that a slow source still commits its progress.
 */
const COMMIT_INTERVAL_MS = 1_000;

/**
 * Statistics are refreshed (ANALYZE) once this many new rows, or a fifth of the rows known at
 * the last refresh if more, have been added — before the next batch that must be compared with
 * what is stored (a batch of new rows is loaded without a lookup, so needs none) — and at the
 * end of a sync that added as many or found the table never analyzed. Without them the planner
 * (PGlite has no autovacuum) takes a large table for a small one and answers each batch's
 * primary-key lookup by scanning the whole account.
 */
const ANALYZE_AFTER_ROWS = 10_000;

export interface SyncOptions extends AccountRef {
  source: EntrySource;
  /** Default DEFAULT_OVERLAP_MS. */
  overlapMs?: number;
  /**
   * Where an account's first sync starts (no entry stored yet); later syncs start from the
   * high-water mark. Absent: from the beginning, or wherever the source starts a window
   * without one (a cost report reads its default history).
   */
  firstSince?: Date | undefined;
  /**
   * For entries that are sums over a period still filling (a cost report's daily bucket): how
   * many hours after its time an entry may still grow. Such an entry is updated in place while
   * it is open and settling (SETTLE_HOURS more); a change after that is a revision and an audit
   * event like any other.
   */
  openHours?: number | undefined;
  /** The end of the window (exclusive), pinned for the whole sync. Default: now. */
  now?: Date;
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onBatch?: (progress: SyncProgress) => void;
}

export interface SyncProgress {
  /** Entries read so far in this sync. */
  read: number;
  inserted: number;
  revised: number;
  /** The latest entry time committed. */
  highWaterMark: string | undefined;
}

export interface SyncResult extends SyncProgress {
  window: SyncWindow;
  reappeared: number;
  vanished: number;
}

/**
 * Syncs one account: reads its source from the stored high-water mark minus the overlap up to
 * now, and commits its rows batch by batch (pages gathered up to the engine's batch size), each batch in
 * one transaction together with the new high-water mark, so that a process killed
 * at any moment leaves the store consistent and the next sync resumes without a gap (the source
 * is in ascending time order: everything before the mark is committed). Only when the window
 * was read completely are the rows it no longer lists marked vanished. A failure is recorded in
 * the account's sync state and rethrown; what was committed stays.
 */
export async function syncAccount(store: Store, options: SyncOptions): Promise<SyncResult> {
  const account = { provider: options.provider, account: options.account };
  const startedAt = options.now ?? new Date();
  const signal = options.signal ?? new AbortController().signal;
  const mark = await highWaterMark(store, account);
  const overlap = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const window: SyncWindow = {
    since: mark === undefined ? options.firstSince : new Date(Date.parse(mark) - overlap),
    until: startedAt,
  };
  await store.db.query(
    `INSERT INTO sync_state (provider, account, last_started) VALUES ($1, $2, $3)
     ON CONFLICT (provider, account) DO UPDATE SET last_started = EXCLUDED.last_started`,
    [account.provider, account.account, startedAt.toISOString()],
  );
  const progress: SyncProgress = { read: 0, inserted: 0, revised: 0, highWaterMark: mark };
  let reappeared = 0;
  try {
    let pending = new Gathered();
    let lastCommit = Date.now();
    const statistics = { known: 0, added: 0 };
    // A first sync into an empty store may build the indexes only reads use after its rows.
    const readIndexes = {
      checked: mark !== undefined || !store.db.buildsReadIndexesAfterLoad,
      deferred: false,
    };
    const analyze = async () => {
      statistics.known += statistics.added;
      statistics.added = 0;
      await store.db.query("ANALYZE entries");
    };
    const commitRows = async ({ rows, earliest, latest, latestTime }: Gathered) => {
      if (rows.length === 0) return;
      // Rows later than everything stored before this sync are new: the bulk load path.
      const fresh = mark === undefined || earliest > Date.parse(mark);
      if (!fresh && statistics.added >= Math.max(ANALYZE_AFTER_ROWS, statistics.known / 5)) {
        await analyze();
      }
      const result = await store.db.transaction(async (tx) => {
        if (!readIndexes.checked) {
          readIndexes.checked = true;
          readIndexes.deferred = await deferReadIndexes(tx);
        }
        const done = await upsertBatch(tx, account, rows, startedAt, {
          fresh,
          openHours: options.openHours,
        });
        await tx.query(
          `UPDATE sync_state SET high_water_mark = GREATEST(high_water_mark, $3::timestamptz)
           WHERE provider = $1 AND account = $2`,
          [account.provider, account.account, latestTime],
        );
        return done;
      });
      progress.inserted += result.inserted;
      statistics.added += result.inserted;
      progress.revised += result.revised;
      reappeared += result.reappeared;
      if (!progress.highWaterMark || latest > Date.parse(progress.highWaterMark)) {
        progress.highWaterMark = new Date(latest).toISOString();
      }
      options.onBatch?.({ ...progress });
    };
    // One commit runs while the source reads on (on PostgreSQL the server works meanwhile);
    // commits stay one at a time and in order, so what is committed is always a prefix.
    let inFlight: Promise<void> = Promise.resolve();
    const commit = async () => {
      await inFlight;
      const gathered = pending;
      pending = new Gathered();
      lastCommit = Date.now();
      inFlight = commitRows(gathered);
      // Awaited by the next commit; not an unhandled rejection in between.
      inFlight.catch(() => {});
    };
    try {
      for await (const batch of options.source(window, signal)) {
        progress.read += pending.add(batch, startedAt);
        if (
          pending.rows.length >= store.db.commitRows ||
          Date.now() - lastCommit >= COMMIT_INTERVAL_MS
        ) {
          await commit();
        }
      }
    } finally {
      // Also when the source failed: what it delivered before is in order and complete.
      await commit();
      await inFlight;
      if (readIndexes.deferred) await buildReadIndexes(store.db);
      if (
        statistics.added >= ANALYZE_AFTER_ROWS ||
        (statistics.added > 0 && (await neverAnalyzed(store)))
      ) {
        await analyze();
      }
    }
    const vanished = await store.db.transaction(async (tx) => {
      const count = await markVanished(tx, account, window, startedAt);
      await tx.query(
        `UPDATE sync_state SET synced_until = $3, last_success = now(), last_error = NULL,
           last_error_at = NULL
         WHERE provider = $1 AND account = $2`,
        [account.provider, account.account, startedAt.toISOString()],
      );
      return count;
    });
    return { ...progress, window, reappeared, vanished };
  } catch (error) {
    await recordSyncFailure(store.db, account, error).catch(() => {}); // the database itself may be what failed
    throw error;
  }
}

async function neverAnalyzed(store: Store): Promise<boolean> {
  const [row] = await store.db.query<{ never: boolean }>(
    "SELECT reltuples < 0 AS never FROM pg_class WHERE oid = 'entries'::regclass",
  );
  return row?.never === true;
}

async function highWaterMark(store: Store, account: AccountRef): Promise<string | undefined> {
  const [row] = await store.db.query<{ mark: string | null }>(
    "SELECT iso_utc(high_water_mark) AS mark FROM sync_state WHERE provider = $1 AND account = $2",
    [account.provider, account.account],
  );
  return row?.mark ?? undefined;
}

/** The rows gathered for the next commit, and the span of their times (each parsed once). */
class Gathered {
  readonly rows: StoreEntry[] = [];
  earliest = Number.POSITIVE_INFINITY;
  latest = Number.NEGATIVE_INFINITY;
  /** The latest time as given (the database reads it as it reads the rows). */
  latestTime = "";

  /**
   * Adds the batch's rows before the pinned end of the window (later ones belong to the next
   * sync), and returns how many.
   */
  add(batch: readonly StoreEntry[], until: Date): number {
    const end = until.getTime();
    const before = this.rows.length;
    for (const entry of batch) {
      const ms = Date.parse(entry.time);
      if (!(ms < end)) continue;
      this.rows.push(entry);
      if (ms < this.earliest) this.earliest = ms;
      if (ms > this.latest) [this.latest, this.latestTime] = [ms, entry.time];
    }
    return this.rows.length - before;
  }
}
