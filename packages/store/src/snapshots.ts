import { accountLabel, currencyCode } from "./currency.js";
import type { Queryable } from "./database.js";
import { CurrencyError } from "./errors.js";
import type { Store } from "./store.js";
import type { AccountRef } from "./types.js";

/** A provider's balance now in one currency (ISO 4217, upper case), exact decimal text. */
export interface LiveBalance {
  currency: string;
  balance: string;
}

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
  const rows = await store.db.query<SnapshotRow>(
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
  return rows.map(toSnapshot);
}

/**
 * Records the balances a provider reports now, one snapshot per currency, in one statement so
 * that all have the same `taken_at` (reconcile and sync both take them). Checked first: codes
 * in ISO 4217 upper case, one balance per currency, exact decimals.
 */
export async function recordBalanceSnapshots(
  db: Queryable,
  account: AccountRef,
  balances: readonly LiveBalance[],
): Promise<void> {
  const currencies = balances.map((b) => currencyCode(account, b.currency, "a live balance"));
  const twice = currencies.find((code, i) => currencies.indexOf(code) !== i);
  if (twice !== undefined) {
    throw new CurrencyError(
      `${accountLabel(account)}: two live balances in ${twice}; a provider reports one per currency`,
    );
  }
  await db.query(
    `INSERT INTO balance_snapshots (provider, account, currency, taken_at, balance)
     SELECT $1, $2, live.currency, now(), live.balance::numeric
     FROM unnest($3::text[], $4::text[]) AS live(currency, balance)
     ON CONFLICT DO NOTHING`,
    [account.provider, account.account, currencies, balances.map((b) => b.balance)],
  );
}

/**
 * Each account's latest balance per currency: what floors, runway and metrics read, at every
 * scrape. Snapshots pile up (one per sync), so the (account, currency) pairs are found by a
 * skip scan of the primary key and each one's latest by one descending lookup: the cost is the
 * pairs, not the history. (DISTINCT ON would read every snapshot.)
 */
export async function latestBalances(store: Store): Promise<BalanceSnapshot[]> {
  const rows = await store.db.query<SnapshotRow>(
    `WITH RECURSIVE pairs AS (
       (SELECT provider, account, currency FROM balance_snapshots
        ORDER BY provider, account, currency LIMIT 1)
       UNION ALL
       SELECT next.provider, next.account, next.currency FROM pairs p,
         LATERAL (SELECT provider, account, currency FROM balance_snapshots s
                  WHERE (s.provider, s.account, s.currency) > (p.provider, p.account, p.currency)
                  ORDER BY provider, account, currency LIMIT 1) next
     )
     SELECT p.provider, p.account, p.currency, iso_utc(l.taken_at) AS taken_at,
            l.balance::text AS balance
     FROM pairs p,
       LATERAL (SELECT taken_at, balance FROM balance_snapshots s
                WHERE s.provider = p.provider AND s.account = p.account AND s.currency = p.currency
                ORDER BY taken_at DESC LIMIT 1) l
     ORDER BY p.provider, p.account, p.currency`,
  );
  return rows.map(toSnapshot);
}

/** A snapshot as SQL returns it. */
interface SnapshotRow {
  provider: string;
  account: string;
  currency: string;
  taken_at: string;
  balance: string;
}

function toSnapshot(row: SnapshotRow): BalanceSnapshot {
  return {
    provider: row.provider,
    account: row.account,
    currency: row.currency,
    takenAt: row.taken_at,
    balance: row.balance,
  };
}
