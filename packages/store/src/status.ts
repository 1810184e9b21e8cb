import type { Store } from "./store.js";

export interface AccountStatus {
  provider: string;
  account: string;
  /** The ledger currency, the one its entries are in: none before the first entry. */
  currency?: string | undefined;
  rows: number;
  vanished: number;
  highWaterMark?: string | undefined;
  lastStarted?: string | undefined;
  lastSuccess?: string | undefined;
  lastError?: string | undefined;
  lastErrorAt?: string | undefined;
  openAuditEvents: number;
  /** Syncs of the account that failed, ever (it only grows). */
  failures: number;
}

/**
 * Per account: its ledger currency, rows, high-water mark, last sync, last error and open audit events. The row
 * counts are kept by triggers on `entries` (migration 2), so status costs the accounts and their
 * open events, not the history.
 */
export async function accountStatus(store: Store): Promise<AccountStatus[]> {
  const rows = await store.db.query<Record<string, string | number | null>>(
    `SELECT s.provider, s.account, s.currency, s.entry_count::int AS rows, s.vanished_count::int AS vanished, s.failure_count::int AS failures,
            (SELECT count(*) FROM audit_events a
              WHERE a.provider = s.provider AND a.account = s.account
                AND a.resolved_at IS NULL)::int AS open_events,
            iso_utc(s.high_water_mark) AS high_water_mark, iso_utc(s.last_started) AS last_started,
            iso_utc(s.last_success) AS last_success, s.last_error,
            iso_utc(s.last_error_at) AS last_error_at
     FROM sync_state s ORDER BY s.provider, s.account`,
  );
  return rows.map((row) => ({
    provider: String(row.provider),
    account: String(row.account),
    currency: (row.currency as string | null) ?? undefined,
    rows: Number(row.rows),
    vanished: Number(row.vanished),
    highWaterMark: (row.high_water_mark as string | null) ?? undefined,
    lastStarted: (row.last_started as string | null) ?? undefined,
    lastSuccess: (row.last_success as string | null) ?? undefined,
    lastError: (row.last_error as string | null) ?? undefined,
    lastErrorAt: (row.last_error_at as string | null) ?? undefined,
    openAuditEvents: Number(row.open_events),
    failures: Number(row.failures),
  }));
}
