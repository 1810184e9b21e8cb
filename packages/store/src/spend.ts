import type { Store } from "./store.js";

/**
 * The kinds that are spend: money that went to the provider for what it served. Their amounts
 * are negative in the ledger (refunds positive), so spend is minus their sum: a refund lowers
 * it. Top-ups buy credit and staff credits and debits adjust it: neither is spend.
 */
export const SPEND_KINDS: readonly string[] = ["usage", "refund", "subscription", "invoice"];

/** What spend can be grouped by. Currency always is: money of two currencies is never summed. */
export type SpendDimension = "provider" | "account" | "project" | "model" | "day" | "currency";

export const SPEND_DIMENSIONS: readonly SpendDimension[] = [
  "provider",
  "account",
  "project",
  "model",
  "day",
  "currency",
];

export interface SpendQuery {
  /** `[since, until)`; open ends: the whole history, up to now. */
  since?: Date | undefined;
  until?: Date | undefined;
  groupBy: readonly SpendDimension[];
  /** Only these (each absent: all). */
  provider?: string | undefined;
  account?: string | undefined;
  project?: string | undefined;
  model?: string | undefined;
}

/** One group's spend: the dimensions asked for (project and model null where none is named). */
export interface SpendRow {
  provider?: string;
  account?: string;
  project?: string | null;
  model?: string | null;
  /** The UTC day, YYYY-MM-DD. */
  day?: string;
  currency: string;
  /** Exact decimal text; positive when money went out. */
  amount: string;
  /** How many entries the group holds. */
  entries: number;
}

/** Each dimension's SQL: fixed text, never built from input. */
const COLUMN: Record<SpendDimension, string> = {
  provider: "provider",
  account: "account",
  project: "project",
  model: "model",
  day: "to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
  currency: "currency",
};

/**
 * Spend grouped as asked, computed by the database over the entries still listed in the
 * window. A bounded window reads its range of the time index, not the history.
 */
export async function spendBy(store: Store, query: SpendQuery): Promise<SpendRow[]> {
  const dimensions = [
    ...new Set<SpendDimension>([...query.groupBy.filter((d) => d !== "currency"), "currency"]),
  ];
  const selected = dimensions.map((d) => `${COLUMN[d]} AS ${d}`).join(", ");
  const positions = dimensions.map((_, i) => i + 1).join(", ");
  const rows = await store.db.query<Record<string, string | number | null>>(
    `SELECT ${selected}, (-sum(amount))::text AS amount, count(*)::int AS entries
     FROM entries
     WHERE vanished_at IS NULL AND kind = ANY ($1::text[])
       AND time >= COALESCE($2::timestamptz, '-infinity') AND time < COALESCE($3::timestamptz, now())
       AND ($4::text IS NULL OR provider = $4) AND ($5::text IS NULL OR account = $5)
       AND ($6::text IS NULL OR project = $6) AND ($7::text IS NULL OR model = $7)
     GROUP BY ${positions}
     ORDER BY ${positions}`,
    [
      [...SPEND_KINDS],
      query.since?.toISOString() ?? null,
      query.until?.toISOString() ?? null,
      query.provider ?? null,
      query.account ?? null,
      query.project ?? null,
      query.model ?? null,
    ],
  );
  return rows.map((row) => {
    const out: SpendRow = {
      currency: String(row.currency),
      amount: String(row.amount),
      entries: Number(row.entries),
    };
    for (const d of dimensions) {
      if (d === "currency") continue;
      const value = row[d];
      if (d === "project" || d === "model") out[d] = value === null ? null : String(value);
      else out[d] = String(value);
    }
    return out;
  });
}

/** An account's spend in its ledger currency. */
export interface AccountSpend {
  provider: string;
  account: string;
  currency: string;
  amount: string;
}

/**
 * Each account's spend over its whole stored history, from the daily rollups (days × kinds,
 * not rows): what `spendkit_spend_total` exposes.
 */
export async function spendTotals(store: Store): Promise<AccountSpend[]> {
  return store.db.query<AccountSpend>(
    `SELECT d.provider, d.account, s.currency, (-sum(d.amount))::text AS amount
     FROM entry_days d JOIN sync_state s ON s.provider = d.provider AND s.account = d.account
     WHERE d.kind = ANY ($1::text[]) AND s.currency IS NOT NULL
     GROUP BY d.provider, d.account, s.currency
     ORDER BY d.provider, d.account`,
    [[...SPEND_KINDS]],
  );
}

/** One account's spend on one UTC day. */
export interface DaySpend extends AccountSpend {
  /** YYYY-MM-DD. */
  day: string;
}

/**
 * Per account and UTC day in `[firstDay, lastDay]` (YYYY-MM-DD), the spend, from the daily
 * rollups; days without spend are absent. Runway and spike rules read these.
 */
export async function dailySpend(
  store: Store,
  firstDay: string,
  lastDay: string,
): Promise<DaySpend[]> {
  return store.db.query<DaySpend>(
    `SELECT d.provider, d.account, s.currency, d.day::text AS day, (-sum(d.amount))::text AS amount
     FROM entry_days d JOIN sync_state s ON s.provider = d.provider AND s.account = d.account
     WHERE d.kind = ANY ($1::text[]) AND d.day BETWEEN $2::date AND $3::date
       AND s.currency IS NOT NULL
     GROUP BY d.provider, d.account, s.currency, d.day
     ORDER BY d.provider, d.account, d.day`,
    [[...SPEND_KINDS], firstDay, lastDay],
  );
}

/**
 * Each account's first day with an entry (YYYY-MM-DD): how much history a baseline can use.
 * One lookup per account at the start of its rollups (the primary key's order), not a scan.
 */
export async function firstEntryDays(
  store: Store,
): Promise<{ provider: string; account: string; day: string }[]> {
  return store.db.query(
    `SELECT s.provider, s.account, f.day::text AS day
     FROM sync_state s,
       LATERAL (SELECT day FROM entry_days d
                WHERE d.provider = s.provider AND d.account = s.account
                ORDER BY day LIMIT 1) f
     ORDER BY s.provider, s.account`,
  );
}
