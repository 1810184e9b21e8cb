/**
 * What the adapters of bucketed cost reports share (OpenAI's costs, Anthropic's cost report):
 * a report has no transactions, only a sum per time bucket and grouping. Each result becomes one
 * `usage` entry whose id is its bucket and grouping keys, so that reading a bucket again (today's,
 * which fills during the day) updates the entry rather than adding one.
 */
import type { CurrencyCode } from "./currency.js";
import { bookEach, RecordError } from "./records.js";
import { dayStart } from "./time.js";
import type { AdapterContext, LedgerEntry, LedgerWindow, ProviderName, UsageRow } from "./types.js";

/** Longest readable id; past it the keys are hashed (ids stay under the ledger's 256). */
const MAX_READABLE_ID = 200;

/**
 * The stable id of a bucket's result: its start and its grouping keys, `|`-separated (an absent
 * key is empty). Keys long enough to push the id past 200 characters are replaced by a 64-bit
 * FNV-1a hash of them, which is stable across runs and machines.
 */
export function bucketId(start: string, keys: readonly (string | null | undefined)[]): string {
  const joined = keys.map((key) => key ?? "").join("|");
  const readable = `${start}|${joined}`;
  return readable.length <= MAX_READABLE_ID ? readable : `${start}|#${fnv1a64(joined)}`;
}

function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/** A bucket boundary given in Unix seconds, as an ISO time; a RecordError when it is not one. */
export function unixSecondsTime(value: unknown, what: string): string {
  // 1970 to 9999, as every booking time.
  if (
    !Number.isSafeInteger(value) ||
    (value as number) < 0 ||
    (value as number) > 253_402_300_799
  ) {
    throw new RecordError(`${what} is not a time in Unix seconds`);
  }
  return new Date((value as number) * 1000).toISOString();
}

/** An optional text field of a result: a non-empty string, else absent. */
export function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value.length <= 256 ? value : undefined;
}

/**
 * Where a report is read from: the window's start, or, for a window without one (a cost report
 * keeps no "whole history" to walk), `defaultDays` whole UTC days before its end.
 */
export function reportStart(window: LedgerWindow, defaultDays: number): Date {
  return window.since ?? dayStart(window.until, -defaultDays);
}

/** A count from a report (tokens, requests): a safe non-negative integer, else 0. */
export function reportCount(value: unknown): number {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : 0;
}

/**
 * Usage rows of one provider keyed by day, model and currency, merged from several reports: the
 * costs (which name their currency) and the token counts (which do not, and join the cost row
 * of their day and model, or else a row of the provider's billing currency with no spend).
 */
export class UsageByDay {
  readonly #rows = new Map<string, UsageRow>();
  constructor(
    private readonly provider: ProviderName,
    private readonly billingCurrency: CurrencyCode,
  ) {}

  /** The row of a day, model and currency, made on first use with no spend. */
  at(day: string, model: string, currency: CurrencyCode): UsageRow {
    const key = `${day}\u0000${model}\u0000${currency}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = { provider: this.provider, day, model, currency, micros: 0n };
      this.#rows.set(key, row);
    }
    return row;
  }

  /** Adds tokens and requests (where given) to a day and model. */
  count(day: string, model: string, tokens: number, requests?: number): void {
    const row = this.at(day, model, this.billingCurrency);
    row.tokens = (row.tokens ?? 0) + tokens;
    if (requests !== undefined) row.requests = (row.requests ?? 0) + requests;
  }

  rows(): UsageRow[] {
    return [...this.#rows.values()];
  }
}

/**
 * A page of buckets booked: each result of each bucket through `convert`, a result that cannot be
 * booked a warning naming its bucket (`label`), never the end of the export.
 */
export function bookBuckets<B extends { results?: readonly R[] | undefined }, R>(
  page: readonly B[],
  convert: (bucket: B, result: R) => LedgerEntry | undefined,
  context: Pick<AdapterContext, "warn">,
  label: (bucket: B) => string,
): LedgerEntry[] {
  const results = page.flatMap((bucket) =>
    (Array.isArray(bucket.results) ? bucket.results : []).map((result) => ({ bucket, result })),
  );
  return bookEach(
    results,
    ({ bucket, result }) => convert(bucket, result),
    context,
    ({ bucket }) => `the cost result of the bucket starting ${label(bucket)}`,
  );
}
