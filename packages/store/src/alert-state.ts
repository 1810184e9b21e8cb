import type { Queryable } from "./database.js";
import type { Store } from "./store.js";

/**
 * A crossing as the store keeps it: (rule, subject, periodStart, threshold) says which crossing
 * it is; `id` is the alert's idempotency key, derived from those by the caller; `alert` is the
 * payload as it fired (JSON), delivered later from here if a delivery is still due.
 */
export interface Firing {
  id: string;
  rule: string;
  kind: string;
  subject: string;
  periodStart: string;
  threshold: string;
  alert: unknown;
}

/**
 * Records a crossing as fired, with one delivery due per webhook, in one transaction: true when
 * this call recorded it, false when it had fired before (in this process or another). Only the
 * caller that gets true delivers it: a crossing fires once.
 */
export async function recordFiring(
  store: Store,
  firing: Firing,
  webhooks: readonly string[],
): Promise<boolean> {
  return store.db.transaction(async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO alert_firings (id, rule, kind, subject, period_start, threshold, alert, fired_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $6::numeric, $7::jsonb, now())
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        firing.id,
        firing.rule,
        firing.kind,
        firing.subject,
        firing.periodStart,
        firing.threshold,
        JSON.stringify(firing.alert),
      ],
    );
    if (inserted.length === 0) return false;
    await tx.query(
      `INSERT INTO alert_deliveries (alert_id, webhook)
       SELECT $1, w FROM unnest($2::text[]) AS w`,
      [firing.id, [...webhooks]],
    );
    return true;
  });
}

/** Of these ids, the ones that have fired. */
export async function firedIds(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.query<{ id: string }>(
    "SELECT id FROM alert_firings WHERE id = ANY ($1::text[])",
    [[...ids]],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * A balance or runway rule's condition holds for `subject`: since when (ISO 8601). The first
 * caller to see it hold records `now`; every later one (or a concurrent one) reads that moment
 * back, so that all agree on the crossing's period. `dryRun` records nothing.
 */
export async function conditionHolds(
  db: Queryable,
  rule: string,
  subject: string,
  dryRun = false,
): Promise<string> {
  if (!dryRun) {
    await db.query(
      `INSERT INTO alert_conditions (rule, subject, since) VALUES ($1, $2, now())
       ON CONFLICT DO NOTHING`,
      [rule, subject],
    );
  }
  const [row] = await db.query<{ since: string }>(
    "SELECT iso_utc(since) AS since FROM alert_conditions WHERE rule = $1 AND subject = $2",
    [rule, subject],
  );
  return row?.since ?? new Date().toISOString();
}

/** The condition no longer holds (it recovered): the next time it does, it fires again. */
export async function conditionRecovered(
  db: Queryable,
  rule: string,
  subject: string,
): Promise<void> {
  await db.query("DELETE FROM alert_conditions WHERE rule = $1 AND subject = $2", [rule, subject]);
}

/** A delivery still due: neither delivered nor given up on. */
export interface DueDelivery {
  alertId: string;
  webhook: string;
  alert: unknown;
  firedAt: string;
  attempts: number;
}

/**
 * Claims the deliveries still due and not claimed by another process, for `leaseMs`, oldest
 * alert first: two processes never send the same one at once. The claim ends when the outcome
 * is recorded, or when the lease runs out (its holder crashed).
 */
export async function claimDueDeliveries(db: Queryable, leaseMs: number): Promise<DueDelivery[]> {
  const rows = await db.query<{
    alert_id: string;
    webhook: string;
    alert: unknown;
    fired_at: string;
    attempts: number;
  }>(
    `UPDATE alert_deliveries d SET claimed_until = now() + $1 * interval '1 millisecond'
     FROM alert_firings f
     WHERE f.id = d.alert_id AND d.delivered_at IS NULL AND d.given_up_at IS NULL
       AND (d.claimed_until IS NULL OR d.claimed_until < now())
     RETURNING d.alert_id, d.webhook, f.alert, iso_utc(f.fired_at) AS fired_at, d.attempts`,
    [leaseMs],
  );
  return rows
    .map((row) => ({
      alertId: row.alert_id,
      webhook: row.webhook,
      alert: typeof row.alert === "string" ? JSON.parse(row.alert) : row.alert,
      firedAt: row.fired_at,
      attempts: Number(row.attempts),
    }))
    .sort(
      (a, b) =>
        a.firedAt.localeCompare(b.firedAt) ||
        a.alertId.localeCompare(b.alertId) ||
        a.webhook.localeCompare(b.webhook),
    );
}

/**
 * What one delivery run came to: delivered; given up on (`giveUp`: a final answer, or too
 * late to be worth sending); or still due after a transient failure (neither).
 */
export async function recordDelivery(
  db: Queryable,
  alertId: string,
  webhook: string,
  outcome: { delivered: boolean; attempts: number; giveUp?: boolean; error?: string | undefined },
): Promise<void> {
  await db.query(
    `UPDATE alert_deliveries SET attempts = attempts + $3,
       delivered_at = CASE WHEN $4 THEN now() END,
       given_up_at = CASE WHEN NOT $4 AND $5 THEN now() END,
       last_error = $6, claimed_until = NULL
     WHERE alert_id = $1 AND webhook = $2`,
    [
      alertId,
      webhook,
      outcome.attempts,
      outcome.delivered,
      outcome.giveUp ?? false,
      outcome.error?.slice(0, 500) ?? null,
    ],
  );
}

/** An alert that fired, and where each of its deliveries stands. */
export interface FiredAlert {
  alert: unknown;
  firedAt: string;
  deliveries: {
    webhook: string;
    state: "delivered" | "undeliverable" | "due";
    attempts: number;
    at?: string | undefined;
    error?: string | undefined;
  }[];
}

/** The alerts that fired, newest first, at most `limit`. */
export async function listFiredAlerts(store: Store, limit = 100): Promise<FiredAlert[]> {
  const rows = await store.db.query<{
    id: string;
    alert: unknown;
    fired_at: string;
    deliveries: {
      webhook: string;
      attempts: number;
      delivered_at: string | null;
      given_up_at: string | null;
      last_error: string | null;
    }[];
  }>(
    `SELECT f.id, f.alert, iso_utc(f.fired_at) AS fired_at,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('webhook', d.webhook, 'attempts', d.attempts,
                        'delivered_at', iso_utc(d.delivered_at), 'given_up_at', iso_utc(d.given_up_at),
                        'last_error', d.last_error) ORDER BY d.webhook)
                      FROM alert_deliveries d WHERE d.alert_id = f.id), '[]'::jsonb) AS deliveries
     FROM (SELECT * FROM alert_firings ORDER BY fired_at DESC, id LIMIT $1) f
     ORDER BY f.fired_at DESC, f.id`,
    [limit],
  );
  const json = <T>(value: unknown): T =>
    (typeof value === "string" ? JSON.parse(value) : value) as T;
  return rows.map((row) => ({
    alert: json(row.alert),
    firedAt: row.fired_at,
    deliveries: json<typeof row.deliveries>(row.deliveries).map((d) => ({
      webhook: d.webhook,
      attempts: Number(d.attempts),
      state: d.delivered_at ? "delivered" : d.given_up_at ? "undeliverable" : "due",
      at: d.delivered_at ?? d.given_up_at ?? undefined,
      error: d.last_error ?? undefined,
    })),
  }));
}
