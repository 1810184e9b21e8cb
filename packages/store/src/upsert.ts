import type { Queryable } from "./database.js";
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
const CONTENT = "time, kind, amount, balance_after, currency, description, model, reference, raw";

/**
 * One statement per batch: the rows travel as one JSON parameter (never spliced into SQL), are
 * compared with what is stored, and then
 * - a changed row's previous content goes to entry_revisions, with a `changed` audit event;
 * - a row marked vanished that is back gets a `reappeared` event, and its `vanished` event is
 *   resolved;
 * - every row is upserted by (provider, account, id), `last_seen` set to this sync's start.
 * Data-modifying CTEs all see the table as it was before the statement, which is what the
 * comparison needs.
 */
const UPSERT = `
WITH incoming AS (
  SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(
    id text, time timestamptz, kind text, amount numeric, balance_after numeric, currency text,
    description text, model text, reference text, raw jsonb)
),
existing AS (
  -- By the primary key, with the ids as an array: the planner knows nothing of the JSON rows
  -- and would otherwise scan the whole table once per batch.
  SELECT e.* FROM entries e
  WHERE e.provider = $1 AND e.account = $2 AND e.id = ANY ($5::text[])
),
changed AS (
  SELECT x.*, i.time AS new_time, i.amount AS new_amount, i.kind AS new_kind,
         i.balance_after AS new_balance_after
  FROM existing x JOIN incoming i ON x.id = i.id
  WHERE ROW(x.time, x.kind, x.amount, x.balance_after, x.currency, x.description, x.model,
            x.reference, x.raw)
        IS DISTINCT FROM
        ROW(i.time, i.kind, i.amount, i.balance_after, i.currency, i.description, i.model,
            i.reference, i.raw)
),
saved AS (
  INSERT INTO entry_revisions (provider, account, id, revision, ${CONTENT}, replaced_at)
  SELECT provider, account, id, revision, ${CONTENT}, $4 FROM changed
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
         $4
  FROM changed
  ON CONFLICT DO NOTHING
),
back AS (
  SELECT id FROM existing WHERE vanished_at IS NOT NULL
),
resolved AS (
  UPDATE audit_events a SET resolved_at = $4
  FROM back b
  WHERE a.kind = 'vanished' AND a.provider = $1 AND a.account = $2 AND a.subject = b.id
    AND a.resolved_at IS NULL
),
back_events AS (
  INSERT INTO audit_events (kind, provider, account, entry_id, subject, detail, created_at)
  SELECT 'reappeared', $1, $2, id, id, '{}'::jsonb, $4 FROM back
  ON CONFLICT DO NOTHING
),
upserted AS (
  INSERT INTO entries (provider, account, id, ${CONTENT}, first_seen, last_seen)
  SELECT $1, $2, id, ${CONTENT}, $4, $4 FROM incoming
  ON CONFLICT (provider, account, id) DO UPDATE SET
    time = EXCLUDED.time, kind = EXCLUDED.kind, amount = EXCLUDED.amount,
    balance_after = EXCLUDED.balance_after, currency = EXCLUDED.currency,
    description = EXCLUDED.description, model = EXCLUDED.model, reference = EXCLUDED.reference,
    raw = EXCLUDED.raw, last_seen = EXCLUDED.last_seen, vanished_at = NULL,
    revision = entries.revision + CASE WHEN entries.id IN (SELECT id FROM changed) THEN 1 ELSE 0 END
  RETURNING (xmax = 0) AS inserted
)
SELECT (SELECT count(*) FROM upserted WHERE inserted)::int AS inserted,
       (SELECT count(*) FROM changed)::int AS revised,
       (SELECT count(*) FROM back)::int AS reappeared
`;

/**
 * Upserts one batch of an account's entries, seen by the sync that started at `seenAt`. A batch
 * must not hold one id twice (the caller keeps the last).
 */
export async function upsertBatch(
  tx: Queryable,
  account: AccountRef,
  entries: readonly StoreEntry[],
  seenAt: Date,
): Promise<BatchResult> {
  const rows = entries.map((e) => ({
    id: e.id,
    time: e.time,
    kind: e.kind,
    amount: e.amount,
    balance_after: e.balanceAfter ?? null,
    currency: e.currency,
    description: e.description ?? null,
    model: e.model ?? null,
    reference: e.reference ?? null,
    raw: e.raw ?? null,
  }));
  const [result] = await tx.query<BatchResult>(UPSERT, [
    account.provider,
    account.account,
    JSON.stringify(rows),
    seenAt.toISOString(),
    rows.map((row) => row.id),
  ]);
  return result ?? { inserted: 0, revised: 0, reappeared: 0 };
}

/**
 * After a window was read completely: every stored row of the window that this sync did not
 * see is marked vanished (never deleted) with a `vanished` audit event. Resolves with how many.
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
