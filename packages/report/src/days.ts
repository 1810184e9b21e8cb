/** UTC calendar days as `YYYY-MM-DD`, and whole-day arithmetic on them. */

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Milliseconds since the epoch of an ISO instant or day; throws when it does not parse. */
export function parseTime(text: string, what = "time"): number {
  const ms =
    typeof text === "string" ? Date.parse(DAY.test(text) ? `${text}T00:00:00Z` : text) : NaN;
  if (Number.isNaN(ms))
    throw new RangeError(`${what} is not an ISO 8601 time: ${JSON.stringify(text)}`);
  return ms;
}

/** The UTC day an instant falls on. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The day number (days since 1970-01-01, UTC) of the day an instant falls on. */
export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The first instant of a day number. */
export function dayStart(day: number): number {
  return day * DAY_MS;
}

/** The day number of a `YYYY-MM-DD` string; throws on anything else. */
export function parseDay(text: string, what = "date"): number {
  if (typeof text !== "string" || !DAY.test(text)) {
    throw new RangeError(`${what} is not a YYYY-MM-DD day: ${JSON.stringify(text)}`);
  }
  return dayNumber(parseTime(text, what));
}

export { DAY_MS };
