import { once } from "node:events";
import { PAGES, type Paged } from "../pages.js";
import type { LedgerEntry } from "../types.js";

export { PAGES, type Paged } from "../pages.js";

/** Where a writer writes: `process.stdout`, a file stream, any Node writable. */
export interface Output {
  write(chunk: string): boolean;
  once(event: "drain" | "error", listener: (...args: any[]) => void): unknown;
  removeListener(event: "drain" | "error", listener: (...args: any[]) => void): unknown;
}

/** How one output format writes a ledger: synchronous text for each part. */
export interface LedgerFormatter {
  /** Written before the first entry, and also when there is none (e.g. a CSV header). */
  header(): string;
  row(entry: LedgerEntry): string;
  /** Written after the last entry (e.g. the table's totals). */
  footer(): string;
}

/**
 * A streaming ledger writer: `write` each entry in order (or `writeBatch` several), then `end`
 * (which writes any footer; it does not close the output, which belongs to the caller). All
 * honour back-pressure.
 */
export interface LedgerWriter {
  write(entry: LedgerEntry): Promise<void>;
  writeBatch(entries: readonly LedgerEntry[]): Promise<void>;
  end(): Promise<void>;
}

/** Writes text and waits for the output to drain when its buffer is full. */
export async function writeText(out: Output, text: string): Promise<void> {
  if (text === "" || out.write(text)) return;
  await once(out as unknown as NodeJS.EventEmitter, "drain");
}

/** A writer of `formatter`'s text to `out`. */
export function createWriter(out: Output, formatter: LedgerFormatter): LedgerWriter {
  let started = false;
  const header = () => {
    if (started) return "";
    started = true;
    return formatter.header();
  };
  return {
    write: (entry) => writeText(out, header() + formatter.row(entry)),
    writeBatch(entries) {
      let text = header();
      for (const entry of entries) text += formatter.row(entry);
      return writeText(out, text);
    },
    end: () => writeText(out, header() + formatter.footer()),
  };
}

/** Feeds a stream of entries to a writer, then ends it. Resolves with the number of entries. */
export async function pipeEntries(
  entries: AsyncIterable<LedgerEntry> & Paged,
  writer: LedgerWriter,
): Promise<number> {
  let count = 0;
  const pages = entries[PAGES];
  if (pages) {
    for await (const batch of pages()) {
      await writer.writeBatch(batch);
      count += batch.length;
    }
  } else {
    for await (const entry of entries) {
      await writer.write(entry);
      count++;
    }
  }
  await writer.end();
  return count;
}
