import type { Store } from "./store.js";

/**
 * A provider's balance in one currency as `reconcileAccount` read it, exact decimal text. An
 * account holding several currencies has one snapshot per currency, taken at the same moment.
 */
export interface BalanceSnapshot {
  provider: string;
  account: string;
  /** ISO 4217, upper case. */
  currency: string;
  takenAt: string;
  balance: string;
}

export interface SnapshotOptions {
  providers?: readonly string[] | undefined;
  accounts?: readonly string[] | undefined;
}

/**
 * The stored balance snapshots, per account and currency oldest first (provider, account,
 * currency, time: the primary key's order). One row per reconcile run, account and currency,
 * so few: returned as a list, not in batches.
 */
export async function listBalanceSnapshots(
  store: Store,
  options: SnapshotOptions = {},
): Promise<BalanceSnapshot[]> {
  const rows = await store.db.query<{
    provider: string;
    account: string;
    currency: string;
    taken_at: string;
    balance: string;
  }>(
    `SELECT provider, account, currency, iso_utc(taken_at) AS taken_at, balance::text AS balance
     FROM balance_snapshots
     WHERE ($1::text[] IS NULL OR provider = ANY ($1))
       AND ($2::text[] IS NULL OR account = ANY ($2))
     ORDER BY provider, account, currency, taken_at`,
    [
      options.providers ? [...options.providers] : null,
      options.accounts ? [...options.accounts] : null,
    ],
  );
  return rows.map((row) => ({
    provider: row.provider,
    account: row.account,
    currency: row.currency,
    takenAt: row.taken_at,
    balance: row.balance,
  }));
}
