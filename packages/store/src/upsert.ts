import { batchCurrency, claimLedgerCurrency } from "./currency.js";
import type { Queryable } from "./database.js";
import { storableEntry, storableJson } from "./storable-text.js";
import type { AccountRef, StoreEntry } from "./types.js";

/** What one batch did to the store. */
export interface BatchResult {
  inserted: number;
  /** Rows whose content differed from the stored one: a new revision and an audit event each. */
  revised: number;
  /** Rows that had been marked vanished and are back. */
  reappeared: number;
}

/** The content columns: what makes a revision when it changes. */
const CONTENT =
  "time, kind, amount, balance_after, currency, description, model, reference, project, api_key, raw";

/**
 * How long after its period has closed a sum may still change without an alarm: data lands
 * late (Anthropic: minutes, sometimes more; OpenAI's costs are revised within a day or so).
 * The same 48 hours as a sync's overlap, so that every sync that can still see such a change
 * re-reads the entry.
 */
export const SETTLE_HOURS = 48;

/**
 * Where a batch is loaded before it is merged, by each engine's bulk path (`Queryable.load`):
 * a temporary table of the connection, emptied at every commit, so that a batch is only ever
 * seen by the transaction that loaded it. Its columns are text, converted once as it is read
 * (`STAGED_ROWS`), so that both bulk paths load text as it is.
 */
const STAGING = "incoming_entries";
const STAGED = ["id", ...CONTENT.split(", ")];
export const CREATE_STAGING = `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (
  ${STAGED.map((column) => `${column} text`).join(", ")}) ON COMMIT DELETE ROWS`;
const STAGED_ROWS = `(SELECT id, time::timestamptz AS time, kind, amount::numeric AS amount,
  balance_after::numeric AS balance_after, currency, description, model, reference, project,
  api_key, raw::json AS raw FROM ${STAGING}) staged`;

/**
 * A first sync's path loads rows straight into `entries` (no staging, no comparison); this
 * reads them back (every row of the account from the batch's earliest time on, which before the
 * load were none) to add their daily rollups and count them.
 */
const ROLLUP_LOADED = `
WITH loaded AS (
  SELECT time, kind, amount FROM entries
  WHERE provider = $1 AND account = $2 AND time >= $3::timestamptz
),
rolled AS (
  INSERT INTO entry_days AS d (provider, account, day, kind, amount, entries)
  SELECT $1, $2, (time AT TIME ZONE 'UTC')::date, kind, sum(amount), count(*) FROM loaded
  GROUP BY (time AT TIME ZONE 'UTC')::date, kind
  ON CONFLICT (provider, account, day, kind) DO UPDATE SET
    amount = d.amount + EXCLUDED.amount, entries = d.entries + EXCLUDED.entries
),
counted AS (
  INSERT INTO sync_state AS s (provider, account, entry_count)
  VALUES ($1, $2, (SELECT count(*) FROM loaded))
  ON CONFLICT (provider, account) DO UPDATE SET entry_count = s.entry_count + EXCLUDED.entry_count
)
SELECT count(*)::int AS rolled FROM loaded
`;

/** The columns a first sync's path loads into `entries`, all as text. */
const LOADED = ["provider", "account", "id", ...CONTENT.split(", "), "first_seen", "last_seen"];

/**
 * One statement per batch: the rows, loaded into the staging table (never spliced into SQL),
 * are compared with what is stored, and then
 * - a changed row's previous content goes to entry_revisions, with a `changed` audit event;
 * - a row marked vanished that is back gets a `reappeared` event, and its `vanished` event is
 *   resolved;
 * - every row is upserted by (provider, account, id), `last_seen` set to this sync's start;
 * - the daily rollups (`entry_days`) and the account's row counts follow: every incoming row
 *   counts with its new content, minus what the stored ones counted (those not vanished).
 * Data-modifying CTEs all see the table as it was before the statement, which is what the
 * comparison needs.
 */
const UPSERT = `
WITH incoming AS (
  SELECT * FROM ${STAGED_ROWS}
),
existing AS (
  -- By the primary key, with the ids as an array: the planner knows nothing of the JSON rows
  -- and would otherwise scan the whole table once per batch.
  SELECT e.* FROM entries e
  WHERE e.provider = $1 AND e.account = $2 AND e.id = ANY ($4::text[])
),
changed AS (
  SELECT x.*, i.time AS new_time, i.amount AS new_amount, i.kind AS new_kind,
         i.balance_after AS new_balance_after
  FROM existing x JOIN incoming i ON x.id = i.id
  -- raw by content (as jsonb): a record whose keys come in another order is the same record.
  WHERE ROW(x.time, x.kind, x.amount, x.balance_after, x.currency, x.description, x.model,
            x.reference, x.project, x.api_key, x.raw::jsonb)
        IS DISTINCT FROM
        ROW(i.time, i.kind, i.amount, i.balance_after, i.currency, i.description, i.model,
            i.reference, i.project, i.api_key, i.raw::jsonb)
    -- A sum over a period that is still filling (today's cost bucket) grows until the period
    -- has closed and settled: it is updated in place below, without a revision or an alarm.
    AND NOT (x.time + make_interval(hours => coalesce($5::int, 0) + ${SETTLE_HOURS})
             > $3::timestamptz AND $5::int IS NOT NULL)
),
saved AS (
  INSERT INTO entry_revisions (provider, account, id, revision, ${CONTENT}, replaced_at)
  SELECT provider, account, id, revision, ${CONTENT}, $3 FROM changed
),
changed_events AS (
  INSERT INTO audit_events (kind, provider, account, entry_id, subject, detail, created_at)
  SELECT 'changed', provider, account, id, id || '@' || (revision + 1),
         jsonb_build_object(
           'revision', revision + 1,
           'before', jsonb_build_object('time', iso_utc(time), 'kind', kind,
                                        'amount', amount::text, 'balanceAfter', balance_after::text),
           'after', jsonb_build_object('time', iso_utc(new_time), 'kind', new_kind,
                                       'amount', new_amount::text,
                                       'balanceAfter', new_balance_after::text)),
         $3
  FROM changed
  ON CONFLICT DO NOTHING
),
back AS (
  SELECT id FROM existing WHERE vanished_at IS NOT NULL
),
resolved AS (
  UPDATE audit_events a SET resolved_at = $3
  FROM back b
  WHERE a.kind = 'vanished' AND a.provider = $1 AND a.account = $2 AND a.subject = b.id
    AND a.resolved_at IS NULL
),
back_events AS (
  INSERT INTO audit_events (kind, provider, account, entry_id, subject, detail, created_at)
  SELECT 'reappeared', $1, $2, id, id, '{}'::jsonb, $3 FROM back
  ON CONFLICT DO NOTHING
),
rolled AS (
  INSERT INTO entry_days AS d (provider, account, day, kind, amount, entries)
  SELECT $1, $2, day, kind, sum(amount), sum(n)
  FROM (SELECT (time AT TIME ZONE 'UTC')::date AS day, kind, amount, 1 AS n FROM incoming
        UNION ALL
        SELECT (time AT TIME ZONE 'UTC')::date, kind, -amount, -1 FROM existing
        WHERE vanished_at IS NULL) delta
  GROUP BY day, kind
  HAVING sum(n) <> 0 OR sum(amount) <> 0
  ON CONFLICT (provider, account, day, kind) DO UPDATE SET
    amount = d.amount + EXCLUDED.amount, entries = d.entries + EXCLUDED.entries
),
counted AS (
  INSERT INTO sync_state AS s (provider, account, entry_count, vanished_count)
  VALUES ($1, $2, (SELECT count(*) FROM incoming) - (SELECT count(*) FROM existing),
          -(SELECT count(*) FROM back))
  ON CONFLICT (provider, account) DO UPDATE SET
    entry_count = s.entry_count + EXCLUDED.entry_count,
    vanished_count = s.vanished_count + EXCLUDED.vanished_count
),
upserted AS (
  INSERT INTO entries (provider, account, id, ${CONTENT}, first_seen, last_seen)
  SELECT $1, $2, id, ${CONTENT}, $3, $3 FROM incoming
  ON CONFLICT (provider, account, id) DO UPDATE SET
    time = EXCLUDED.time, kind = EXCLUDED.kind, amount = EXCLUDED.amount,
    balance_after = EXCLUDED.balance_after, currency = EXCLUDED.currency,
    description = EXCLUDED.description, model = EXCLUDED.model, reference = EXCLUDED.reference,
    project = EXCLUDED.project, api_key = EXCLUDED.api_key, raw = EXCLUDED.raw, last_seen = EXCLUDED.last_seen, vanished_at = NULL,
    revision = entries.revision + CASE WHEN entries.id IN (SELECT id FROM changed) THEN 1 ELSE 0 END
  RETURNING (xmax = 0) AS inserted
)
SELECT (SELECT count(*) FROM upserted WHERE inserted)::int AS inserted,
       (SELECT count(*) FROM changed)::int AS revised,
       (SELECT count(*) FROM back)::int AS reappeared
`;

/**
 * Upserts one batch of an account's entries, seen by the sync that started at `seenAt`, in the
 * caller's transaction. An id the batch holds more than once is stored as its last row (a later
 * page reflects a later read). `fresh`:
 * the caller expects every row to be new (they are later than anything stored), and the batch is
 * loaded straight into the table when the store agrees (nothing of the account stored from the
 * batch's earliest time on); should a row exist after all (an id stored earlier under another
 * time), that load is undone and the batch takes the full upsert, so a wrong guess costs time,
 * never correctness. A batch must be in one currency, the account's (the first batch sets it):
 * otherwise CurrencyError, thrown before anything of the batch is loaded, like EntryRefusedError
 * for an entry whose id the store cannot hold.
 */
export async function upsertBatch(
  tx: Queryable,
  account: AccountRef,
  given: readonly StoreEntry[],
  seenAt: Date,
  options: {
    fresh?: boolean;
    /** Entries are sums over a period still filling for this many hours after their time. */
    openHours?: number | undefined;
  } = {},
): Promise<BatchResult> {
  if (given.length === 0) return { inserted: 0, revised: 0, reappeared: 0 };
  const entries = given.map((entry) => storableEntry(account, entry));
  const currency = batchCurrency(account, entries);
  if (currency !== undefined) await claimLedgerCurrency(tx, account, currency);
  const seen = seenAt.toISOString();
  // A fresh batch is loaded as it is: an id it holds twice is refused by the primary key, like
  // an id stored before, and the batch then takes the upsert below.
  if (options.fresh && (await loadedAsNew(tx, account, entries, seen))) {
    return { inserted: entries.length, revised: 0, reappeared: 0 };
  }
  // The upsert may not touch one row twice in a statement.
  const rows = lastOfEachId(entries);
  await tx.load(
    STAGING,
    STAGED,
    rows.map((e) => [e.id, ...content(e)]),
  );
  const [result] = await tx.query<BatchResult>(UPSERT, [
    account.provider,
    account.account,
    seen,
    rows.map((e) => e.id),
    options.openHours ?? null,
  ]);
  return {
    inserted: result?.inserted ?? 0,
    revised: result?.revised ?? 0,
    reappeared: result?.reappeared ?? 0,
  };
}

/** One row per id, the last one of each, in the order of those last ones. */
function lastOfEachId(entries: readonly StoreEntry[]): readonly StoreEntry[] {
  const byId = new Map<string, StoreEntry>();
  for (const entry of entries) byId.set(entry.id, entry);
  return byId.size === entries.length ? entries : [...byId.values()];
}

/** An entry's content columns, as text, in CONTENT's order. */
function content(e: StoreEntry): (string | null)[] {
  return [
    e.time,
    e.kind,
    e.amount,
    e.balanceAfter ?? null,
    e.currency,
    e.description ?? null,
    e.model ?? null,
    e.reference ?? null,
    e.project ?? null,
    e.apiKey ?? null,
    storableJson(JSON.stringify(e.raw ?? null)),
  ];
}

/**
 * The first sync's path: when the account has nothing stored from the batch's earliest time on,
 * the rows go straight into `entries` by the bulk path and their rollups are read back. Behind a
 * savepoint: a row whose id is stored already (the primary key refuses it), or a read-back that
 * does not find exactly the batch, undoes the load, and resolves `false` for the full upsert.
 */
async function loadedAsNew(
  tx: Queryable,
  account: AccountRef,
  entries: readonly StoreEntry[],
  seen: string,
): Promise<boolean> {
  const earliest = earliestTime(entries);
  const stored = await tx.query(
    "SELECT 1 FROM entries WHERE provider = $1 AND account = $2 AND time >= $3::timestamptz LIMIT 1",
    [account.provider, account.account, earliest],
  );
  if (stored.length > 0) return false;
  await tx.query("SAVEPOINT load_new");
  try {
    await tx.load(
      "entries",
      LOADED,
      entries.map((e) => [account.provider, account.account, e.id, ...content(e), seen, seen]),
    );
    const [row] = await tx.query<{ rolled: number }>(ROLLUP_LOADED, [
      account.provider,
      account.account,
      earliest,
    ]);
    if (row?.rolled === entries.length) {
      await tx.query("RELEASE SAVEPOINT load_new");
      return true;
    }
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
  }
  await tx.query("ROLLBACK TO SAVEPOINT load_new");
  return false;
}

const UNIQUE_VIOLATION = "23505";

/** The batch's earliest time, as given (the database reads it as it reads the rows). */
function earliestTime(entries: readonly StoreEntry[]): string {
  let earliest = entries[0]!.time;
  let earliestMs = Date.parse(earliest);
  for (const { time } of entries) {
    const ms = Date.parse(time);
    if (ms < earliestMs) [earliest, earliestMs] = [time, ms];
  }
  return earliest;
}

/**
 * After a window was read completely: every stored row of the window that this sync did not
 * see is marked vanished (never deleted) with a `vanished` audit event, and leaves the daily
 * rollups and the account's count of vanished rows. Resolves with how many.
 */
export async function markVanished(
  tx: Queryable,
  account: AccountRef,
  window: { since?: Date | undefined; until: Date },
  seenAt: Date,
): Promise<number> {
  const [row] = await tx.query<{ vanished: number }>(
    `WITH gone AS (
       UPDATE entries SET vanished_at = $5
       WHERE provider = $1 AND account = $2 AND ($3::timestamptz IS NULL OR time >= $3)
         AND time < $4 AND last_seen < $5 AND vanished_at IS NULL
       RETURNING id, time, kind, amount
     ),
     events AS (
       INSERT INTO audit_events (kind, provider, account, entry_id, subject, detail, created_at)
       SELECT 'vanished', $1, $2, id, id,
              jsonb_build_object('time', iso_utc(time), 'kind', kind, 'amount', amount::text), $5
       FROM gone
       ON CONFLICT DO NOTHING
     ),
     rolled AS (
       UPDATE entry_days d SET amount = d.amount - g.amount, entries = d.entries - g.entries
       FROM (SELECT (time AT TIME ZONE 'UTC')::date AS day, kind, sum(amount) AS amount,
                    count(*) AS entries
             FROM gone GROUP BY 1, 2) g
       WHERE d.provider = $1 AND d.account = $2 AND d.day = g.day AND d.kind = g.kind
     ),
     counted AS (
       UPDATE sync_state SET vanished_count = vanished_count + (SELECT count(*) FROM gone)
       WHERE provider = $1 AND account = $2
     )
     SELECT count(*)::int AS vanished FROM gone`,
    [
      account.provider,
      account.account,
      window.since?.toISOString() ?? null,
      window.until.toISOString(),
      seenAt.toISOString(),
    ],
  );
  return row?.vanished ?? 0;
}
