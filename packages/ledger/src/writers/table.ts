import { LedgerTotals } from "../totals.js";
import type { LedgerEntry } from "../types.js";
import {
  createWriter,
  type LedgerFormatter,
  type LedgerWriter,
  type Output,
  type Paged,
  pipeEntries,
} from "./output.js";
import { columns, padEnd, padStart, printable, truncate } from "./text.js";

export interface TableOptions {
  /** Width of the detail column (model and description), in characters. Default 56. */
  detailWidth?: number;
}

// Fixed widths, so that rows can be written as they come (a streamed table cannot measure its
// rows first). Money is never cut: an amount wider than its column pushes the row to the right.
const WIDTH = { time: 19, provider: 10, kind: 12, amount: 13, currency: 3, balance: 13 };

/** The table's text (see createTableWriter). */
export function tableFormatter(options: TableOptions = {}): LedgerFormatter {
  const detailWidth = options.detailWidth ?? 56;
  const totals = new LedgerTotals();
  const line = (cells: string[]) => `${cells.join("  ").trimEnd()}\n`;
  return {
    header: () =>
      line([
        padEnd("TIME (UTC)", WIDTH.time),
        padEnd("PROVIDER", WIDTH.provider),
        padEnd("KIND", WIDTH.kind),
        padStart("AMOUNT", WIDTH.amount),
        padEnd("CUR", WIDTH.currency),
        padStart("BALANCE AFTER", WIDTH.balance),
        "DETAIL",
      ]),
    row(entry) {
      totals.add(entry);
      const detail = [entry.model, entry.description, entry.reference && `ref ${entry.reference}`]
        .filter(Boolean)
        .join(" · ");
      return line([
        padEnd(entry.time.slice(0, 19).replace("T", " "), WIDTH.time),
        padEnd(entry.provider, WIDTH.provider),
        padEnd(entry.kind, WIDTH.kind),
        padStart(entry.amount, WIDTH.amount),
        padEnd(entry.currency, WIDTH.currency),
        padStart(entry.balanceAfter ?? "", WIDTH.balance),
        truncate(printable(detail), detailWidth),
      ]);
    },
    footer() {
      // Each provider's kinds and its subtotal, then each kind across providers, then the
      // totals: every line in one currency, so a second currency adds lines, never a mixed sum.
      const cells = totals.byProviderAndKind();
      const rows = [
        ...totals
          .byProvider()
          .flatMap((subtotal) => [
            ...cells.filter(
              (cell) => cell.provider === subtotal.provider && cell.currency === subtotal.currency,
            ),
            subtotal,
          ]),
        ...totals.byKind(),
        ...totals.byCurrency(),
      ].map((row) => [row.provider, row.kind, String(row.entries), row.amount, row.currency]);
      if (totals.entries === 0) return "(no entries)\n";
      return `\nTotals by provider, kind and currency\n${columns(
        [["PROVIDER", "KIND", "ENTRIES", "AMOUNT", "CURRENCY"], ...rows],
        [false, false, true, true, false],
      )}`;
    },
  };
}

/**
 * A table for people: one aligned line per entry (time in UTC), then the exact totals by provider
 * and kind, by provider, and overall.
 */
export function createTableWriter(out: Output, options: TableOptions = {}): LedgerWriter {
  return createWriter(out, tableFormatter(options));
}

export function writeTable(
  entries: AsyncIterable<LedgerEntry> & Paged,
  out: Output,
  options?: TableOptions,
): Promise<number> {
  return pipeEntries(entries, createTableWriter(out, options));
}
