import { parseCopyText } from "./copy-format.js";
import { composeStatement, type Queryable, type StatementValue } from "./database.js";
import type { Store } from "./store.js";
import { isoFromPrinted } from "./time-text.js";
import type { StoredEntry } from "./types.js";

export interface ReadOptions {
  since?: Date | undefined;
  until?: Date | undefined;
  providers?: readonly string[] | undefined;
  accounts?: readonly string[] | undefined;
  /** Rows the provider no longer lists are kept in the store; exports leave them out by default. */
  includeVanished?: boolean;
  /** Rows per batch; default 5,000. */
  batchSize?: number;
  /**
   * Read each entry's `raw` provider record (default true). Formats that do not write it (CSV,
   * FOCUS) leave it out: it is most of a row's bytes, to build, send and parse.
   */
  raw?: boolean;
}

/**
 * An entry's columns, in the order `toEntry` reads: exact text for NUMERIC (its text form is its
 * value), the time at full precision as the session prints it (the keyset; `isoFromPrinted`
 * makes the entry's ISO time of it), raw as JSON text (or null when not asked for), then the
 * attribution.
 */
const entryColumns = (raw: boolean) => `provider, account, id, time, kind, amount,
  balance_after, currency, description, model, reference, ${raw ? "raw" : "NULL"}, project,
  api_key`;
const ENTRY_WIDTH = 14;

type Row = [
  provider: string,
  account: string,
  id: string,
  printedTime: string,
  kind: string,
  amount: string,
  balanceAfter: string | null,
  currency: string,
  description: string | null,
  model: string | null,
  reference: string | null,
  raw: string | null,
  project: string | null,
  apiKey: string | null,
];

/**
 * Runs `select` (rows of `entries` with every column, `LIMIT`ed in `order`; its values named
 * `%1$L`, `%2$L`, … as `composeStatement` takes them) and returns its rows in `order`. The rows
 * travel by the engine's bulk path (`unload`: COPY's text format, split and unescaped where
 * needed): the engines' per-field decoding (PGlite decodes in JavaScript) costs several times what
 * the database spends finding the rows, and a JSON aggregate still about half again as much.
 */
async function selectEntries(
  db: Queryable,
  select: string,
  order: string,
  values: readonly StatementValue[],
  raw = true,
): Promise<Row[]> {
  const statement = await composeStatement(
    db,
    `SELECT ${entryColumns(raw)} FROM (${select}) entries ORDER BY ${order}`,
    values,
  );
  return parseCopyText(await db.unload(statement), ENTRY_WIDTH) as Row[];
}

/** The order of exports: the columns of the index `entries_ledger_order`. */
const LEDGER_ORDER = "time, provider, account, id";

/**
 * The stored ledger in ledger order (time, then provider, account, id), in batches, with bounded
 * memory and a cost linear in what it returns: keyset pagination, each batch one query that
 * starts after the last row of the one before. The query names only the filters given, and the
 * keyset is a row comparison over the columns of `entries_ledger_order`, so that each batch is
 * an index range scan that starts where the last one stopped — a generic `($n IS NULL OR …)`
 * predicate hides the bound from the planner and makes every batch scan from the beginning.
 * Amounts come back exactly as stored (NUMERIC as text), times as ISO 8601 UTC.
 */
export async function* readEntries(
  store: Store,
  options: ReadOptions = {},
): AsyncGenerator<StoredEntry[]> {
  const size = options.batchSize ?? 5_000;
  const values: StatementValue[] = [];
  const value = (v: StatementValue) => {
    values.push(v);
    return `%${values.length}$L`;
  };
  const filters: string[] = [];
  if (options.since) filters.push(`time >= ${value(options.since.toISOString())}::timestamptz`);
  if (options.until) filters.push(`time < ${value(options.until.toISOString())}::timestamptz`);
  if (options.providers) filters.push(`provider = ANY (${value([...options.providers])}::text[])`);
  if (options.accounts) filters.push(`account = ANY (${value([...options.accounts])}::text[])`);
  if (options.includeVanished !== true) filters.push("vanished_at IS NULL");
  const limit = value(size);
  const first = values.length;
  const keyset = `(time, provider, account, id) > (%${first + 1}$L::timestamptz, %${first + 2}$L, %${first + 3}$L, %${first + 4}$L)`;
  const select = (after: boolean) =>
    `SELECT * FROM entries
     ${[...filters, ...(after ? [keyset] : [])].map((f, i) => `${i ? "AND" : "WHERE"} ${f}`).join(" ")}
     ORDER BY ${LEDGER_ORDER}
     LIMIT ${limit}::int`;
  let after: [string, string, string, string] | undefined;
  for (;;) {
    const raw = options.raw ?? true;
    const rows = after
      ? await selectEntries(store.db, select(true), LEDGER_ORDER, [...values, ...after], raw)
      : await selectEntries(store.db, select(false), LEDGER_ORDER, values, raw);
    if (rows.length === 0) return;
    yield rows.map(toEntry);
    const last = rows[rows.length - 1]!;
    after = [last[3], last[0], last[1], last[2]];
    if (rows.length < size) return;
  }
}

function toEntry(row: Row): StoredEntry {
  const [provider, account, id, printedTime, kind, amount, balanceAfter, currency] = row;
  const raw = row[11] === null ? null : JSON.parse(row[11]);
  const time = isoFromPrinted(printedTime);
  const entry: StoredEntry = { provider, account, id, time, kind, amount, currency, raw };
  if (balanceAfter !== null) entry.balanceAfter = balanceAfter;
  if (row[8] !== null) entry.description = row[8];
  if (row[9] !== null) entry.model = row[9];
  if (row[10] !== null) entry.reference = row[10];
  if (row[12] !== null) entry.project = row[12];
  if (row[13] !== null) entry.apiKey = row[13];
  return entry;
}

/** Some entries of an account, by id, in ledger order. */
export async function readEntriesById(
  store: Store,
  account: { provider: string; account: string },
  ids: readonly string[],
): Promise<StoredEntry[]> {
  const rows = await selectEntries(
    store.db,
    `SELECT * FROM entries
     WHERE provider = %1$L AND account = %2$L AND id = ANY (%3$L::text[])`,
    "time, length(id), id",
    [account.provider, account.account, [...ids]],
  );
  return rows.map(toEntry);
}
