/** Time helpers shared by the adapters, the ledger and the CLI. All in UTC. */

const UTC_TIME =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3})?Z$/;

/** The instants a booking time may have: years 1970 to 9999. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);

/**
 * An RFC 3339 / ISO 8601 timestamp as `toISOString()` writes it (`2026-05-21T14:08:11.000Z`), or
 * undefined when it is not one or lies outside the years 1970 to 9999. Every booking time has
 * this one fixed-width form, so comparing two of them as strings compares them as instants.
 */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "" || value.length > 64) return undefined;
  // Fast path for what the providers send: UTC, to the second or the millisecond, on a day
  // that exists in every month (later days go the slow way, which checks the calendar).
  if (UTC_TIME.test(value) && value >= "1970") {
    return value.length === 24 ? value : `${value.slice(0, 19)}.000Z`;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < EARLIEST || ms >= LATEST || !realDate(value)) return undefined;
  return new Date(ms).toISOString();
}

/** Date.parse rolls "2026-02-30" over into March: a leading calendar date must exist as written. */
function realDate(value: string): boolean {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!date) return true;
  const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

/** YYYY-MM-DD of a date, in UTC. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first instant of the UTC month that contains `date`, shifted by `months`. */
export function monthStart(date: Date, months = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
}

/** The first instant of the UTC day that contains `date`, shifted by `days`. */
export function dayStart(date: Date, days = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
}

/** Splits [since, until) into consecutive pieces of at most `maxDays` days. */
export function chunkWindow(
  since: Date,
  until: Date,
  maxDays: number,
): { since: Date; until: Date }[] {
  const step = maxDays * 86_400_000;
  const chunks: { since: Date; until: Date }[] = [];
  for (let start = since.getTime(); start < until.getTime(); start += step) {
    chunks.push({
      since: new Date(start),
      until: new Date(Math.min(start + step, until.getTime())),
    });
  }
  return chunks;
}

/** Compares two ledger entries: time, then provider, then id. */
export function compareEntries(
  a: { time: string; provider: string; id: string },
  b: { time: string; provider: string; id: string },
): number {
  return (
    compareText(a.time, b.time) || compareText(a.provider, b.provider) || compareText(a.id, b.id)
  );
}

/** Code-unit order, the same everywhere (no locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
