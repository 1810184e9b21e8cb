/**
 * What a report shows. The store fills it from the ledger; the renderer only reads it.
 *
 * Amounts are exact decimal strings, as the ledger writes them (`"12.50"`, `"0.000125"`, `"-3.00"`,
 * at most six fraction digits), each in the currency of the account it belongs to. The renderer
 * sums them exactly, only within one currency (it never converts), and uses floats only to draw. Every string here may come from a provider's server (names, models,
 * descriptions, audit text): the renderer treats all of them as untrusted text.
 *
 * Times are ISO 8601 instants (`"2026-05-21T14:08:11.000Z"`); days are UTC calendar days
 * (`"2026-05-21"`).
 */

/** An exact amount, in its account's currency, as a decimal string. */
export type Amount = string;

/** A provider as the report names it. `id` is what accounts refer to; `name` is what is shown. */
export interface ReportProvider {
  id: string;
  name: string;
}

/**
 * One ledger (API key, team, wallet) at a provider, in one currency: every amount that names this
 * account is in `currency`. A provider account holding two currencies is two `ReportAccount`s,
 * with different ids (`deepseek/main/CNY`, `deepseek/main/USD`) and possibly the same name.
 */
export interface ReportAccount {
  id: string;
  /** The `id` of one of `ReportData.providers`. */
  provider: string;
  name: string;
  /** ISO 4217 code, three upper-case letters (`"USD"`, `"CNY"`). */
  currency: string;
}

/** What one account spent on one UTC day: usage net of refunds, positive when money went out. */
export interface DailySpend {
  date: string;
  account: string;
  amount: Amount;
}

/** An account's balance at one moment, signed (a negative balance is owed to the provider). */
export interface BalancePoint {
  time: string;
  balance: Amount;
}

/** One account's balance over time, oldest point first or not: the renderer sorts. */
export interface BalanceSeries {
  account: string;
  points: BalancePoint[];
}

/** What one account spent on one model over the window (positive when money went out). */
export interface ModelSpend {
  account: string;
  model: string;
  amount: Amount;
}

/**
 * Spend attributed to a project (an OpenAI project, an Anthropic workspace) or to an API key
 * (its id), where the provider reports it.
 */
export interface AttributedSpend {
  account: string;
  /** The project's or the key's id. */
  name: string;
  amount: Amount;
}

/** Credit bought. `amount` is positive. */
export interface TopUp {
  account: string;
  time: string;
  amount: Amount;
  reference?: string;
}

/** A change made by the provider's staff: a credit (positive amount) or a debit (negative). */
export interface Adjustment {
  account: string;
  time: string;
  amount: Amount;
  description?: string;
}

/** Something the store noticed and nobody has resolved yet: a revised or vanished row, a gap. */
export interface AuditEvent {
  account: string;
  time: string;
  kind: string;
  message: string;
}

/** Whether an account's running balance agrees with the balance its provider reports. */
export interface Reconciliation {
  account: string;
  status: "matched" | "mismatch" | "unchecked";
  checkedAt?: string;
  /** The balance the ledger arrives at. */
  ledgerBalance?: Amount;
  /** The balance the provider reports. */
  providerBalance?: Amount;
  note?: string;
}

export interface ReportData {
  /** Shown as the page's heading; default "Spend report". */
  title?: string;
  /** The period the report covers, `[since, until)`. */
  window: { since: string; until: string };
  generatedAt: string;
  providers: ReportProvider[];
  accounts: ReportAccount[];
  dailySpend: DailySpend[];
  balances: BalanceSeries[];
  spendByModel: ModelSpend[];
  /** Spend per project or workspace; absent or empty where no provider attributes spend. */
  spendByProject?: AttributedSpend[];
  /** Spend per API key id; absent or empty likewise. */
  spendByKey?: AttributedSpend[];
  topUps: TopUp[];
  adjustments: Adjustment[];
  /** Open audit events only. */
  auditEvents: AuditEvent[];
  reconciliation: Reconciliation[];
}
