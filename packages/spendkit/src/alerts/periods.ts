import type { Period } from "./rules.js";

const DAY_MS = 86_400_000;

/** The UTC calendar period holding `now`: `[start, end)`. Weeks start on Monday (ISO 8601). */
export function periodAt(period: Period, now: Date): { start: Date; end: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const today = Date.UTC(y, m, now.getUTCDate());
  switch (period) {
    case "day":
      return { start: new Date(today), end: new Date(today + DAY_MS) };
    case "week": {
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      const start = today - sinceMonday * DAY_MS;
      return { start: new Date(start), end: new Date(start + 7 * DAY_MS) };
    }
    case "month":
      return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  }
}

/** The UTC day `offset` days from `now`'s, as YYYY-MM-DD. */
export function dayFrom(now: Date, offset: number): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today + offset * DAY_MS).toISOString().slice(0, 10);
}
