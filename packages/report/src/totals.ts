import { currenciesOf, inCurrency } from "./currency.js";
import { formatAmount, parseAmount } from "./decimal.js";
import type { Lookup } from "./lookup.js";
import type { Amount, ReportData, ReportProvider } from "./types.js";

export interface TotalsRow {
  /** The provider, or null for the row of all providers together (in this currency). */
  provider: ReportProvider | null;
  spend: Amount;
  topUps: Amount;
  adjustments: Amount;
  /** The sum of each account's latest balance; null when no account here has one. */
  balance: Amount | null;
}

/** The totals of one currency: nothing in another currency is added to them. */
export interface CurrencyTotals {
  currency: string;
  rows: TotalsRow[];
}

/**
 * Exact totals per currency (in the order the accounts name them): in each, a row per provider
 * with an account in that currency (in `providers` order) and one over all of them, last.
 */
export function computeTotals(data: ReportData, find: Lookup): CurrencyTotals[] {
  return currenciesOf(data).map((currency) => ({
    currency,
    rows: totalsOf(inCurrency(data, currency), find),
  }));
}

/** Totals of data in a single currency. */
function totalsOf(data: ReportData, find: Lookup): TotalsRow[] {
  const providers = data.providers.filter((p) => data.accounts.some((a) => a.provider === p.id));
  const rows = [...providers, null].map((provider) => ({
    provider,
    spend: 0n,
    topUps: 0n,
    adjustments: 0n,
    balance: null as bigint | null,
  }));
  const overall = rows.at(-1)!;
  const rowsOf = (account: string) => [rows[providers.indexOf(find.providerOf(account))]!, overall];
  const add = (account: string, field: "spend" | "topUps" | "adjustments", amount: Amount) => {
    for (const row of rowsOf(account)) row[field] += parseAmount(amount);
  };
  for (const d of data.dailySpend) add(d.account, "spend", d.amount);
  for (const t of data.topUps) add(t.account, "topUps", t.amount);
  for (const a of data.adjustments) add(a.account, "adjustments", a.amount);
  for (const account of data.accounts) {
    const latest = find.latestBalance(account.id);
    if (!latest) continue;
    for (const row of rowsOf(account.id))
      row.balance = (row.balance ?? 0n) + parseAmount(latest.balance);
  }
  return rows.map((row) => ({
    provider: row.provider,
    spend: formatAmount(row.spend),
    topUps: formatAmount(row.topUps),
    adjustments: formatAmount(row.adjustments),
    balance: row.balance === null ? null : formatAmount(row.balance),
  }));
}
