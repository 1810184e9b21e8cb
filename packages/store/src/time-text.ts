import type { Queryable } from "./database.js";
import { StoreError } from "./errors.js";

/**
 * How the store's sessions print a `timestamptz`: in UTC, in ISO style, whatever the server or
 * the database was configured with. Set on every connection as it opens, so that the text of a
 * stored time is one known form (`2026-12-03 17:23:33.5+00`), parsed here in JavaScript rather
 * than formatted by the database for every row read.
 */
export async function pinTimeText(db: Queryable): Promise<void> {
  await db.query(
    "SELECT set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO, YMD', false)",
  );
}

/** A stored time as such a session prints it: whole seconds, then up to six digits of fraction. */
const PRINTED_UTC = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?\+00$/;
/** The zeros that make a fraction of 0, 1 or 2 digits milliseconds. */
const MILLIS_PADDING = ["000", "00", "0"];

/**
 * A stored time, as a session set by `pinTimeText` prints it, in the ledger's form: ISO 8601
 * UTC with milliseconds (`2026-12-03T17:23:33.500Z`), the fraction cut (not rounded) to them, as
 * the store's SQL function `iso_utc` writes it. The database prints each row's time for the
 * keyset anyway; formatting it a second time in SQL (`to_char`) cost PGlite 0.4–0.6 s of the
 * 1.2–1.5 s its COPY of 300k rows took, where this takes about 0.1 s (hence a test and slices,
 * not a match and its groups). Anything else (a year past 9999, a time before the common era,
 * infinity: none of which a sync stores) is refused with StoreError, not guessed at.
 */
export function isoFromPrinted(printed: string): string {
  if (!PRINTED_UTC.test(printed)) {
    throw new StoreError(
      `a stored time printed as ${JSON.stringify(printed)}, not as a time in UTC between the years 0001 and 9999`,
    );
  }
  // `YYYY-MM-DD HH:MM:SS` is 19 characters; a fraction follows as `.` and its digits, then `+00`.
  const fraction = printed.slice(20, -3);
  const millis =
    fraction.length >= 3 ? fraction.slice(0, 3) : fraction + MILLIS_PADDING[fraction.length];
  return `${printed.slice(0, 10)}T${printed.slice(11, 19)}.${millis}Z`;
}
