import type { LedgerEntry } from "../types.js";
import {
  createWriter,
  type LedgerFormatter,
  type LedgerWriter,
  type Output,
  type Paged,
  pipeEntries,
} from "./output.js";

/** The ledger CSV's columns, in order: the fields of `LedgerEntry` except `raw`. */
export const CSV_COLUMNS = [
  "provider",
  "id",
  "time",
  "kind",
  "amount",
  "balanceAfter",
  "currency",
  "description",
  "model",
  "reference",
  // Attribution came later: last, so that readers of the earlier columns by position still work.
  "project",
  "apiKey",
] as const satisfies readonly (keyof LedgerEntry)[];

const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: string | undefined): string {
  if (value === undefined) return "";
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** What a spreadsheet reads as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A free-text field (id, description, model, ...): like `csvField`, and a value that a
 * spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`) is defused by a
 * leading apostrophe, as OWASP advises, and quoted. Numeric columns use `csvField`, so that
 * amounts keep their sign.
 */
export function csvText(value: string | undefined): string {
  if (value === undefined) return "";
  return FORMULA_START.test(value) ? `"'${value.replaceAll('"', '""')}"` : csvField(value);
}

/** One RFC 4180 record, CRLF-terminated; `numeric[i]` marks the columns that are not text. */
export function csvRecord(
  values: readonly (string | undefined)[],
  numeric: readonly boolean[] = [],
): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    line += (i === 0 ? "" : ",") + (numeric[i] ? csvField(values[i]) : csvText(values[i]));
  }
  return `${line}\r\n`;
}

/**
 * RFC 4180 CSV: a header, then one record per entry, CRLF line endings, fields quoted only when
 * needed. Absent optional fields are empty.
 */
export function csvFormatter(): LedgerFormatter {
  return {
    header: () => csvRecord(CSV_COLUMNS),
    // Every column is checked: an entry may come from an adapter outside this package. Only time
    // and the amounts are numeric; the rest is text.
    row: (e) =>
      `${csvText(e.provider)},${csvText(e.id)},${csvField(e.time)},${csvText(e.kind)},${csvField(e.amount)},${csvField(e.balanceAfter)},${csvText(e.currency)},${csvText(e.description)},${csvText(e.model)},${csvText(e.reference)},${csvText(e.project)},${csvText(e.apiKey)}\r\n`,
    footer: () => "",
  };
}

export function createCsvWriter(out: Output): LedgerWriter {
  return createWriter(out, csvFormatter());
}

export function writeCsv(
  entries: AsyncIterable<LedgerEntry> & Paged,
  out: Output,
): Promise<number> {
  return pipeEntries(entries, createCsvWriter(out));
}
