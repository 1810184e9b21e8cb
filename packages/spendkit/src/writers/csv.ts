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
] as const satisfies readonly (keyof LedgerEntry)[];

const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: string | undefined): string {
  if (value === undefined) return "";
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One RFC 4180 record, CRLF-terminated. */
export function csvRecord(values: readonly (string | undefined)[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += (i === 0 ? "" : ",") + csvField(values[i]);
  return `${line}\r\n`;
}

/**
 * RFC 4180 CSV: a header, then one record per entry, CRLF line endings, fields quoted only when
 * needed. Absent optional fields are empty.
 */
export function csvFormatter(): LedgerFormatter {
  return {
    header: () => csvRecord(CSV_COLUMNS),
    // provider, time, kind, amount, balanceAfter and currency never need quotes (fixed words,
    // ISO times, decimals); the free-text fields are checked.
    row: (e) =>
      `${e.provider},${csvField(e.id)},${e.time},${e.kind},${e.amount},${e.balanceAfter ?? ""},${e.currency},${csvField(e.description)},${csvField(e.model)},${csvField(e.reference)}\r\n`,
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
