import { describeValue } from "./money.js";
import { isoTime } from "./time.js";
import type { AdapterContext, LedgerEntry } from "./types.js";

/**
 * The checks every adapter applies to a provider's records before booking them. A record is
 * untrusted input: a value that is not what the spec says is reported and the record skipped,
 * never guessed at, and never allowed to become an object key, a function or a malformed cell.
 */

/** A record that cannot be booked; the message says why (without quoting long values). */
export class RecordError extends Error {
  override name = "RecordError";
}

/** Longest id kept: anything longer is not an id. */
const MAX_ID = 256;

/** A record's id: a non-empty string or a safe integer, as a string. */
export function recordId(value: unknown, what = "id"): string {
  if (typeof value === "string" && value !== "" && value.length <= MAX_ID) return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  throw new RecordError(`${what} is not a string or a safe integer: ${describeValue(value)}`);
}

/** A booking time in canonical ISO form (years 1970 to 9999), or a RecordError. */
export function bookingTime(value: unknown, what = "timestamp"): string {
  const time = isoTime(value);
  if (time === undefined) {
    throw new RecordError(`bad ${what} ${describeValue(value)}`);
  }
  return time;
}

/** An amount, or a RecordError naming the field (wraps the money parsers' RangeError). */
export function amountOf<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof RangeError) throw new RecordError(`${field}: ${error.message}`);
    throw error;
  }
}

/**
 * Converts each record with `convert`; one that throws a RecordError becomes a warning naming
 * it (by `label`) and is skipped, so that one bad row never costs the rest of the export.
 */
export function bookEach<R>(
  records: Iterable<R>,
  convert: (record: R) => LedgerEntry | undefined,
  context: Pick<AdapterContext, "warn">,
  label: (record: R) => string,
): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const record of records) {
    try {
      const entry = convert(record);
      if (entry) entries.push(entry);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      context.warn(`${safeLabel(label, record)} skipped: ${error.message}`);
    }
  }
  return entries;
}

function safeLabel<R>(label: (record: R) => string, record: R): string {
  try {
    return label(record);
  } catch {
    return "a record";
  }
}

/** "transaction 42", or "a transaction" when the record's id is unusable. */
export function labelOf(what: string, id: unknown): string {
  try {
    return `${what} ${recordId(id)}`;
  } catch {
    return `a ${what} with a bad id`;
  }
}
