import type { LedgerEntry } from "../types.js";
import {
  createWriter,
  type LedgerFormatter,
  type LedgerWriter,
  type Output,
  type Paged,
  pipeEntries,
} from "./output.js";

export interface JsonLinesOptions {
  /** Include each entry's `raw` provider record. Default true. */
  raw?: boolean;
}

/** JSON Lines: one entry per line as a JSON object, fields in `LedgerEntry` order, `\n`-terminated. */
export function jsonLinesFormatter(options: JsonLinesOptions = {}): LedgerFormatter {
  const withRaw = options.raw ?? true;
  return {
    header: () => "",
    row: (entry) =>
      `${JSON.stringify({
        provider: entry.provider,
        id: entry.id,
        time: entry.time,
        kind: entry.kind,
        amount: entry.amount,
        balanceAfter: entry.balanceAfter,
        currency: entry.currency,
        description: entry.description,
        model: entry.model,
        reference: entry.reference,
        project: entry.project,
        apiKey: entry.apiKey,
        raw: withRaw ? entry.raw : undefined,
      })}\n`,
    footer: () => "",
  };
}

export function createJsonLinesWriter(out: Output, options: JsonLinesOptions = {}): LedgerWriter {
  return createWriter(out, jsonLinesFormatter(options));
}

export function writeJsonLines(
  entries: AsyncIterable<LedgerEntry> & Paged,
  out: Output,
  options?: JsonLinesOptions,
): Promise<number> {
  return pipeEntries(entries, createJsonLinesWriter(out, options));
}
