import { dayNumber, dayOf, dayStart, parseDay, parseTime } from "./days.js";
import { divideHalfEven, formatAmount, parseAmount, sum } from "./decimal.js";
import type { Amount } from "./types.js";

export interface RunwayInput {
  /** The balance the forecast starts from, and when it was seen. */
  balance: Amount;
  asOf: string;
  /** The account's spend per UTC day (days without an entry spent nothing). */
  dailySpend: readonly { date: string; amount: Amount }[];
  /**
   * The first moment the spend data covers (the report's window start). Days before it are not
   * counted as days without spend: the burn is averaged over the covered days only.
   */
  since?: string;
  /** How many whole days before `asOf`'s day the burn is averaged over; default 30. */
  trailingDays?: number;
  /** The currency of the balance and the spend, named in the label when given. */
  currency?: string;
}

export interface RunwayForecast {
  balance: Amount;
  asOf: string;
  /** The days the burn was averaged over: `trailingDays`, fewer when the data starts later. */
  days: number;
  /** Exact spend over those days. */
  trailingSpend: Amount;
  /** `trailingSpend / days`, rounded to the millionth (ties to even). */
  dailyBurn: Amount;
  /** Whole days the balance lasts at that burn (0 when it is used up); null without any burn. */
  daysLeft: number | null;
  /** The UTC day the balance runs out at that burn; null without any burn. */
  runsOutOn: string | null;
  /** Fractional days left, for drawing the forecast line only. */
  drawDaysLeft: number | null;
  /** What the forecast says and how it was made, for people. */
  label: string;
}

/**
 * How long a balance lasts if the account keeps spending as it did over the trailing days: the
 * exact balance × days ÷ spend, in whole days (rounded down: the day it runs out is not a day
 * with money left). A forecast, not a promise — the label says what it is based on.
 */
export function forecastRunway(input: RunwayInput): RunwayForecast {
  const balance = parseAmount(input.balance, "balance");
  const asOfMs = parseTime(input.asOf, "asOf");
  const trailing = input.trailingDays ?? 30;
  if (!Number.isInteger(trailing) || trailing < 1) {
    throw new RangeError(`trailingDays must be a positive whole number, not ${trailing}`);
  }
  // The whole days before the balance's day: that day itself is still going on.
  const lastDay = dayNumber(asOfMs) - 1;
  const coveredFrom =
    input.since === undefined ? -Infinity : dayNumber(parseTime(input.since, "since") - 1) + 1;
  const firstDay = Math.max(lastDay - trailing + 1, coveredFrom);
  const days = Math.max(0, lastDay - firstDay + 1);
  const spend = sum(
    input.dailySpend
      .filter((d) => {
        const day = parseDay(d.date);
        return day >= firstDay && day <= lastDay;
      })
      .map((d) => parseAmount(d.amount, `spend on ${d.date}`)),
  );
  const base = { balance: formatAmount(balance), asOf: input.asOf, days };
  if (days === 0 || spend <= 0n) {
    return {
      ...base,
      trailingSpend: formatAmount(spend),
      dailyBurn: "0.00",
      daysLeft: null,
      runsOutOn: null,
      drawDaysLeft: null,
      label:
        days === 0
          ? "no forecast: no whole day of spend data before the balance"
          : `no forecast: nothing spent over the trailing ${days}-day window`,
    };
  }
  const daysLeft = balance <= 0n ? 0 : Number((balance * BigInt(days)) / spend);
  const dailyBurn = formatAmount(divideHalfEven(spend, BigInt(days)));
  const runsOutOn = dayOf(dayStart(dayNumber(asOfMs) + daysLeft));
  const burn = input.currency === undefined ? dailyBurn : `${dailyBurn} ${input.currency}`;
  return {
    ...base,
    trailingSpend: formatAmount(spend),
    dailyBurn,
    daysLeft,
    runsOutOn,
    drawDaysLeft: balance <= 0n ? 0 : (Number(balance) * days) / Number(spend),
    label: `${daysLeft} ${daysLeft === 1 ? "day" : "days"} left at the trailing ${days}-day burn of ${burn} a day`,
  };
}
