import type { SpendDimension } from "@spendkit/store";

/**
 * A query string the read API refuses: the message names the parameter and shows a value only
 * shortened and printable. Answered as 400.
 */
export class QueryError extends Error {
  override name = "QueryError";
}

export interface SpendQuery {
  since?: Date;
  until?: Date;
  /** Always holds "currency": money of two currencies is never summed. */
  groupBy: SpendDimension[];
}

/** The store's dimensions, listed here too: the command line loads the store only when it runs. */
const DIMENSIONS: readonly SpendDimension[] = [
  "provider",
  "account",
  "project",
  "model",
  "day",
  "currency",
];
const DEFAULT_GROUPING: readonly SpendDimension[] = ["provider", "account", "currency"];

/** The `/v1/spend` query string as the store's query: checked field by field, or a QueryError. */
export function spendQuery(query: URLSearchParams): SpendQuery {
  onlyParameters(query, ["since", "until", "group_by"]);
  const since = single(query, "since");
  const until = single(query, "until");
  const grouping = single(query, "group_by");
  const spend: SpendQuery = {
    groupBy: grouping === undefined ? [...DEFAULT_GROUPING] : parseGrouping(grouping),
  };
  if (since !== undefined) spend.since = parseMoment("since", since);
  if (until !== undefined) spend.until = parseMoment("until", until);
  if (spend.since && spend.until && spend.since >= spend.until) {
    throw new QueryError("since: must be before until");
  }
  return spend;
}

function parseGrouping(value: string): SpendDimension[] {
  const dimensions = value.split(",").map((d) => d.trim());
  for (const dimension of dimensions) {
    if (!isDimension(dimension)) {
      throw new QueryError(`group_by: ${shown(dimension)} is not one of ${DIMENSIONS.join(", ")}`);
    }
  }
  if (new Set(dimensions).size !== dimensions.length) {
    throw new QueryError("group_by: a dimension is named twice");
  }
  // Currency is always a group, asked for or not: money of two currencies is never summed.
  const named = dimensions.filter(isDimension);
  return named.includes("currency") ? named : [...named, "currency"];
}

function isDimension(value: string): value is SpendDimension {
  return (DIMENSIONS as readonly string[]).includes(value);
}

export function onlyParameters(query: URLSearchParams, allowed: readonly string[]): void {
  for (const name of query.keys()) {
    if (!allowed.includes(name)) throw new QueryError(`${shown(name)}: unknown parameter`);
  }
}

function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new QueryError(`${name}: given more than once`);
  return values[0];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MOMENT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * YYYY-MM-DD (00:00 UTC) or an RFC 3339 time with its offset. Checked field by field: `Date`
 * alone takes 2026-02-30 for 2 March and 24:00 for the next day. Below a millisecond is dropped.
 */
function parseMoment(name: string, value: string): Date {
  const match = DAY.exec(value) ?? MOMENT.exec(value);
  const bad = () =>
    new QueryError(`${name}: ${shown(value)} is not a date (YYYY-MM-DD) or an RFC 3339 time`);
  if (!match) throw bad();
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map(Number);
  const millis = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3));
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) throw bad();
  date.setUTCHours(hour, minute, second, millis);
  const offset = (match[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return new Date(date.getTime() - offset * 60_000);
}

/** A value from the request, for a message: printable ASCII only, and short. */
function shown(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, "?");
  return JSON.stringify(printable.length > 40 ? `${printable.slice(0, 40)}…` : printable);
}
