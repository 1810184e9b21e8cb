import type { ReportData } from "./types.js";

/** An ISO 4217 code as the report takes it: three upper-case letters, not looked up in a list. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/** The currencies of the report's accounts, each once, in the order the accounts first name them. */
export function currenciesOf(data: ReportData): string[] {
  return [...new Set(data.accounts.map((a) => a.currency))];
}

/**
 * The part of the report in one currency: its accounts and every row that names one of them.
 * Every total and chart is made from one of these, which is how no figure ever adds two
 * currencies. Providers stay whole, so that a provider keeps its colour in every currency's chart.
 */
export function inCurrency(data: ReportData, currency: string): ReportData {
  const accounts = data.accounts.filter((a) => a.currency === currency);
  const ids = new Set(accounts.map((a) => a.id));
  const mine = <T extends { account: string }>(rows: readonly T[]) =>
    rows.filter((row) => ids.has(row.account));
  return {
    ...data,
    accounts,
    dailySpend: mine(data.dailySpend),
    balances: mine(data.balances),
    spendByModel: mine(data.spendByModel),
    spendByProject: data.spendByProject && mine(data.spendByProject),
    spendByKey: data.spendByKey && mine(data.spendByKey),
    topUps: mine(data.topUps),
    adjustments: mine(data.adjustments),
    auditEvents: mine(data.auditEvents),
    reconciliation: mine(data.reconciliation),
  };
}
