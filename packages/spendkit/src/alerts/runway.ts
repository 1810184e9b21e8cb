import type { RunwayForecast } from "@spendkit/report";
import type { BalanceSnapshot, DaySpend } from "@spendkit/store";

/** The days of spend a runway forecast averages over: the report's window, so both agree. */
export const RUNWAY_TRAILING_DAYS = 30;

/** What forecasting runways needs: spend per account and day, each account's first day. */
export interface RunwayInputs {
  days: readonly DaySpend[];
  /** Per "provider/account", the first UTC day with an entry (YYYY-MM-DD). */
  firstDays: ReadonlyMap<string, string>;
  /** The report's forecast, loaded by the caller only when a runway is asked for. */
  forecastRunway: typeof import("@spendkit/report").forecastRunway;
}

/**
 * How long one balance lasts at its account's trailing burn in that currency, as the report
 * forecasts it — alerts, metrics and the report say the same. Undefined when the account has
 * no spend in the balance's currency to forecast from (a balance-only account, a currency it
 * never spends) or no burn at all.
 */
export function runwayOf(
  inputs: RunwayInputs,
  balance: BalanceSnapshot,
): RunwayForecast | undefined {
  const account = `${balance.provider}/${balance.account}`;
  const spend = inputs.days.filter(
    (d) => `${d.provider}/${d.account}` === account && d.currency === balance.currency,
  );
  const since = inputs.firstDays.get(account);
  if (since === undefined || spend.length === 0) return undefined;
  const forecast = inputs.forecastRunway({
    balance: balance.balance,
    asOf: balance.takenAt,
    dailySpend: spend.map((d) => ({ date: d.day, amount: d.amount })),
    since: `${since}T00:00:00.000Z`,
    trailingDays: RUNWAY_TRAILING_DAYS,
    currency: balance.currency,
  });
  return forecast.daysLeft === null ? undefined : forecast;
}
