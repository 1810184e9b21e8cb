import { randomBytes } from "node:crypto";
import { identifier, qualified, type StoreTable, storeSequences, storeTables } from "./catalog.js";
import { parseCopyText } from "./copy-format.js";
import { type BulkRow, composeStatement, type Queryable } from "./database.js";
import { CopyRefusedError, StoreError } from "./errors.js";
import { appliedVersions } from "./migrations.js";
import type { Store } from "./store.js";

export interface CopyOptions {
  /**
   * Rows read and loaded at a time, per table: what the copy holds in memory. Default: the
   * smaller of the two engines' `commitRows`, the batch each is sized for.
   */
  pageRows?: number;
  /** Called after each page is loaded (before the commit). */
  onProgress?: (progress: CopyProgress) => void;
}

/** A table copied: its rows, checked against the source's count before the commit. */
export interface CopiedTable {
  table: string;
  rows: number;
}

export interface CopyProgress extends CopiedTable {
  /** The table's rows in the source. */
  total: number;
}

/**
 * Copies the store `from` as it is into the empty store `to` (typically an embedded store into
 * PostgreSQL): every table, as the catalog lists them, row for row, and the state of every
 * sequence, in one transaction on the target, so that a failure or a kill leaves it empty.
 * The source is read in one snapshot, in pages of `pageRows` in primary-key order, so memory
 * stays flat however large it is, and a store in use is copied as it was at one moment.
 *
 * Refused with CopyRefusedError before anything is written when the two are one store, when
 * their schemas differ, or when the target holds any row. Each table's rows are counted on both
 * sides before the commit. Resolves with the rows copied per table, in the order copied.
 */
export async function copyStore(
  from: Store,
  to: Store,
  options: CopyOptions = {},
): Promise<CopiedTable[]> {
  // Checked first: one embedded store cannot be open twice, and one database object would
  // wait for itself below.
  if (from.db === to.db || from.description === to.description) throw sameStore(from);
  const pageRows = options.pageRows ?? Math.min(from.db.commitRows, to.db.commitRows);
  if (!Number.isInteger(pageRows) || pageRows < 1) {
    throw new RangeError(`pageRows must be a positive integer, not ${pageRows}`);
  }
  const copied = await from.db.transaction((source) =>
    to.db.transaction(async (target) => {
      // One snapshot for the whole read: rows committed to the source meanwhile (a sync, an
      // alert run) are not half in the copy.
      await source.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      await refuseSameDatabase(source, target, from);
      const { tables, sequences } = await matchingSchemas(source, target, from, to);
      await lockEmpty(target, tables, to);
      for (const db of [source, target]) {
        for (const statement of EXACT_TEXT) await db.query(statement);
      }
      const done: CopiedTable[] = [];
      for (const table of tables) {
        done.push(await copyTable(source, target, table, pageRows, options.onProgress));
      }
      await copySequences(source, target, sequences);
      return done;
    }),
  );
  // PGlite has no autovacuum, and PostgreSQL's comes round in its own time: statistics now, so
  // that the first queries on the copy are planned for its size.
  await to.db.query(`ANALYZE ${copied.map((table) => qualified(table.table)).join(", ")}`);
  return copied;
}

/**
 * Values travel as the text their types print and parse back, read and loaded under the same
 * settings whatever each session was set to: dates in ISO order, intervals in PostgreSQL's
 * style, floating point in full.
 */
const EXACT_TEXT = [
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL extra_float_digits = 3",
];

function sameStore(from: Store): CopyRefusedError {
  return new CopyRefusedError(
    "same-store",
    `the source and the target are the same store (${from.description}): copy into another one`,
  );
}

/**
 * Two URLs may name one database (another host name, another user): the target's session is
 * marked with a name of its own for this transaction, and the source looks for the mark among
 * the sessions of its own database.
 */
async function refuseSameDatabase(source: Queryable, target: Queryable, from: Store) {
  const mark = `spendkit copy ${randomBytes(8).toString("hex")}`;
  await target.query("SELECT set_config('application_name', $1, true)", [mark]);
  const [row] = await source.query<{ same: boolean }>(
    `SELECT EXISTS (SELECT FROM pg_stat_activity
                    WHERE application_name = $1 AND datname = current_database()) AS same`,
    [mark],
  );
  if (row?.same) throw sameStore(from);
}

/** The tables and sequences to copy, once both stores are found to have the same schema. */
async function matchingSchemas(source: Queryable, target: Queryable, from: Store, to: Store) {
  const versions = [await appliedVersions(source), await appliedVersions(target)] as const;
  if (versions[0].join() !== versions[1].join()) {
    const [fromVersion, toVersion] = versions.map((list) => list.at(-1) ?? 0);
    throw new CopyRefusedError(
      "schema",
      `${from.description} is at schema version ${fromVersion} and ${to.description} at ${toVersion}: copy with the spendkit that made the newer one (opening a store brings it up to date)`,
    );
  }
  const tables = await storeTables(source);
  const sequences = await storeSequences(source);
  const shape = (list: readonly StoreTable[], names: readonly string[]) =>
    JSON.stringify([list.map((t) => [t.name, t.columns, t.key]), names]);
  if (shape(tables, sequences) !== shape(await storeTables(target), await storeSequences(target))) {
    throw new CopyRefusedError(
      "schema",
      `${from.description} and ${to.description} are at the same schema version but their tables differ (changed by hand?): nothing was copied`,
    );
  }
  return { tables, sequences };
}

/**
 * Locks the target's tables against writers until the commit (readers go on), then refuses a
 * target that holds any row: a copy never mixes two ledgers, nor overwrites one.
 */
async function lockEmpty(target: Queryable, tables: readonly StoreTable[], to: Store) {
  await target.query(
    `LOCK TABLE ${tables.map((table) => qualified(table.name)).join(", ")} IN EXCLUSIVE MODE`,
  );
  const holding = await target.query<{ name: string }>(
    tables
      .map(
        (table, i) =>
          `SELECT $${i + 1}::text AS name WHERE EXISTS (SELECT FROM ${qualified(table.name)})`,
      )
      .join(" UNION ALL "),
    tables.map((table) => table.name),
  );
  if (holding.length > 0) {
    throw new CopyRefusedError(
      "not-empty",
      `${to.description} is not empty (rows in ${holding.map((row) => row.name).join(", ")}): a store is copied into an empty one only`,
    );
  }
}

/**
 * One table, in pages in primary-key order: each page starts after the last key of the one
 * before (an index range scan, whatever the table's size), and is loaded by the target's bulk
 * path while the next one is read.
 */
async function copyTable(
  source: Queryable,
  target: Queryable,
  table: StoreTable,
  pageRows: number,
  onProgress: CopyOptions["onProgress"],
): Promise<CopiedTable> {
  const name = qualified(table.name);
  const columns = table.columns.map(identifier);
  const key = table.key.map(identifier).join(", ");
  const keyAt = table.key.map((column) => table.columns.indexOf(column));
  const after = `WHERE (${key}) > (${keyAt.map((_, i) => `%${i + 1}$L`).join(", ")})`;
  const page = (where: string) =>
    `SELECT ${columns.join(", ")} FROM ${name} ${where} ORDER BY ${key} LIMIT ${pageRows}`;
  // A page travels in COPY's text format (`unload`), each value as the text its type prints,
  // which is what the target's COPY reads back.
  const read = async (last?: BulkRow): Promise<BulkRow[]> => {
    const statement = await composeStatement(
      source,
      page(last ? after : ""),
      last ? keyAt.map((at) => last[at] ?? null) : [],
    );
    return parseCopyText(await source.unload(statement), columns.length);
  };

  const total = await count(source, name);
  let rows = 0;
  let batch = await read();
  while (batch.length > 0) {
    const [next] = await settled(
      batch.length < pageRows ? Promise.resolve([]) : read(batch.at(-1)),
      target.load(name, columns, batch),
    );
    rows += batch.length;
    onProgress?.({ table: table.name, rows, total });
    batch = next;
  }
  const loaded = await count(target, name);
  if (rows !== total || loaded !== total) {
    throw new StoreError(
      `${table.name}: ${total} rows in the source, ${rows} read, ${loaded} in the copy; nothing was copied`,
    );
  }
  return { table: table.name, rows };
}

async function count(db: Queryable, name: string): Promise<number> {
  const [row] = await db.query<{ rows: string }>(`SELECT count(*)::text AS rows FROM ${name}`);
  return Number(row?.rows);
}

/** Both results, once both have settled: a failed read must not leave a load running. */
async function settled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === "rejected") throw first.reason;
  if (second.status === "rejected") throw second.reason;
  return [first.value, second.value];
}

/**
 * Each sequence as the source left it, not as the highest id: a number the source gave out is
 * never given out again. Last, after every count matched: `setval` is not undone by a rollback.
 */
async function copySequences(source: Queryable, target: Queryable, sequences: readonly string[]) {
  for (const sequence of sequences) {
    const [state] = await source.query<{ last: string; called: boolean }>(
      `SELECT last_value::text AS last, is_called AS called FROM ${qualified(sequence)}`,
    );
    await target.query("SELECT setval($1::regclass, $2::bigint, $3)", [
      qualified(sequence),
      state!.last,
      state!.called,
    ]);
  }
}
