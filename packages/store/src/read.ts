import type { Store } from "./store.js";
import type { StoredEntry } from "./types.js";

export interface ReadOptions {
  since?: Date | undefined;
  until?: Date | undefined;
  providers?: readonly string[] | undefined;
  accounts?: readonly string[] | undefined;
  /** Rows the provider no longer lists are kept in the store; exports leave them out by default. */
  includeVanished?: boolean;
  /** Rows per batch; default 1,000. */
  batchSize?: number;
}

/** An entry's columns, with exact text for NUMERIC, ISO UTC for times, JSON text for raw. */
const COLUMNS = `provider, account, id, iso_utc(time) AS time, kind, amount::text AS amount,
  balance_after::text AS balance_after, currency, description, model, reference, raw::text AS raw`;

interface Row {
  provider: string;
  account: string;
  id: string;
  time: string;
  kind: string;
  amount: string;
  balance_after: string | null;
  currency: string;
  description: string | null;
  model: string | null;
  reference: string | null;
  raw: string;
}

/**
 * The stored ledger in ledger order (time, then provider, account, id), in batches, with bounded
 * memory: keyset pagination, each batch one query that starts after the last row of the one
 * before. Amounts come back exactly as stored (NUMERIC as text), times as ISO 8601 UTC.
 */
export async function* readEntries(
  store: Store,
  options: ReadOptions = {},
): AsyncGenerator<StoredEntry[]> {
  const size = options.batchSize ?? 1_000;
  let after: [string, string, string, string] | undefined;
  for (;;) {
    const rows = await store.db.query<Row>(
      `SELECT ${COLUMNS} FROM entries
       WHERE ($1::timestamptz IS NULL OR time >= $1)
         AND ($2::timestamptz IS NULL OR time < $2)
         AND ($3::text[] IS NULL OR provider = ANY ($3))
         AND ($4::text[] IS NULL OR account = ANY ($4))
         AND ($5 OR vanished_at IS NULL)
         AND ($6::timestamptz IS NULL OR (time, provider, account, id) > ($6, $7, $8, $9))
       ORDER BY time, provider, account, id
       LIMIT $10`,
      [
        options.since?.toISOString() ?? null,
        options.until?.toISOString() ?? null,
        options.providers ? [...options.providers] : null,
        options.accounts ? [...options.accounts] : null,
        options.includeVanished === true,
        ...(after ?? [null, null, null, null]),
        size,
      ],
    );
    if (rows.length === 0) return;
    yield rows.map(toEntry);
    const last = rows[rows.length - 1]!;
    after = [last.time, last.provider, last.account, last.id];
    if (rows.length < size) return;
  }
}

function toEntry(row: Row): StoredEntry {
  const entry: StoredEntry = {
    provider: row.provider,
    account: row.account,
    id: row.id,
    time: row.time,
    kind: row.kind,
    amount: row.amount,
    currency: row.currency,
    raw: JSON.parse(row.raw),
  };
  if (row.balance_after !== null) entry.balanceAfter = row.balance_after;
  if (row.description !== null) entry.description = row.description;
  if (row.model !== null) entry.model = row.model;
  if (row.reference !== null) entry.reference = row.reference;
  return entry;
}

/** Some entries of an account, by id, in ledger order. */
export async function readEntriesById(
  store: Store,
  account: { provider: string; account: string },
  ids: readonly string[],
): Promise<StoredEntry[]> {
  const rows = await store.db.query<Row>(
    `SELECT ${COLUMNS} FROM entries
     WHERE provider = $1 AND account = $2 AND id = ANY ($3::text[])
     ORDER BY time, length(id), id`,
    [account.provider, account.account, [...ids]],
  );
  return rows.map(toEntry);
}
