import type { Database, Queryable } from "./database.js";
import { SCHEMA } from "./migrations.js";

/**
 * The indexes of `entries` that only reads use, as the migrations create them: exports read
 * every account in ledger order, and reconcile and the report the running balance's order. A
 * sync's writes need the others (the primary key finds a stored id, `entries_account_time` a
 * window), never these.
 *
 * A first sync into an empty table on PostgreSQL builds them once after its rows rather than row
 * by row, as PostgreSQL's own advice for bulk loads goes (`Database.buildsReadIndexesAfterLoad`):
 * a sync's writes never use them (300k rows, paired runs: 7.5 s instead of 8.0 s).
 *
 * The definitions are written again here rather than read out of migrations 1 and 2: those are
 * history, never edited, and these are what a store must have today. The tests build both and
 * check that PostgreSQL prints them the same (`test/read-indexes.test.ts`).
 */
const READ_INDEXES = {
  entries_ledger_order:
    "CREATE INDEX entries_ledger_order ON entries (time, provider, account, id)",
  entries_balance_order: `CREATE INDEX entries_balance_order ON entries (provider, account, time, length(id), id)
    WHERE balance_after IS NOT NULL AND vanished_at IS NULL`,
} as const;

/**
 * In the caller's transaction: drops the read indexes when `entries` holds no row, and resolves
 * whether it did. The caller builds them again (`buildReadIndexes`) once its rows are in; should
 * it never get there (killed), the next opening of the store does.
 */
export async function deferReadIndexes(tx: Queryable): Promise<boolean> {
  const [row] = await tx.query<{ empty: boolean }>(
    "SELECT NOT EXISTS (SELECT FROM entries) AS empty",
  );
  if (!row?.empty) return false;
  for (const name of Object.keys(READ_INDEXES)) await tx.query(`DROP INDEX IF EXISTS ${name}`);
  return true;
}

/** Builds the read indexes that are missing; resolves with their names. */
export async function buildReadIndexes(db: Queryable): Promise<string[]> {
  const missing = await missingReadIndexes(db);
  for (const name of missing) await db.query(READ_INDEXES[name]);
  return missing;
}

/**
 * On opening a store: the read indexes a first sync killed before it built them left missing,
 * built again — unless a sync holds the store's lock, which builds them as it ends.
 */
export async function repairReadIndexes(db: Database): Promise<void> {
  if ((await missingReadIndexes(db)).length === 0) return;
  if (!(await db.tryLockSync())) return;
  try {
    await buildReadIndexes(db);
  } finally {
    await db.unlockSync();
  }
}

async function missingReadIndexes(db: Queryable): Promise<(keyof typeof READ_INDEXES)[]> {
  const present = await db.query<{ name: string }>(
    "SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = 'entries'",
    [SCHEMA],
  );
  const names = new Set(present.map((row) => row.name));
  return (Object.keys(READ_INDEXES) as (keyof typeof READ_INDEXES)[]).filter(
    (name) => !names.has(name),
  );
}
