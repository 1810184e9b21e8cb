import { formatMicros, parseDecimal } from "./money.js";
import { compareText } from "./time.js";
import type { LedgerEntry } from "./types.js";

export interface TotalRow {
  provider: string;
  kind: string;
  entries: number;
  /** Exact sum, micro-dollars. */
  micros: bigint;
  /** The same, as a canonical decimal string. */
  amount: string;
}

/**
 * Exact running totals of a ledger by provider and kind. Memory is one counter per (provider,
 * kind) pair, whatever the number of entries.
 */
export class LedgerTotals {
  readonly #cells = new Map<
    string,
    { provider: string; kind: string; entries: number; micros: bigint }
  >();

  add(entry: Pick<LedgerEntry, "provider" | "kind" | "amount">): void {
    const key = `${entry.provider}\u0000${entry.kind}`;
    let cell = this.#cells.get(key);
    if (!cell) {
      cell = { provider: entry.provider, kind: entry.kind, entries: 0, micros: 0n };
      this.#cells.set(key, cell);
    }
    cell.entries++;
    cell.micros += parseDecimal(entry.amount);
  }

  /** One row per (provider, kind), sorted by provider then kind. */
  byProviderAndKind(): TotalRow[] {
    return [...this.#cells.values()]
      .sort((a, b) => compareText(a.provider, b.provider) || compareText(a.kind, b.kind))
      .map((cell) => ({ ...cell, amount: formatMicros(cell.micros) }));
  }

  /** One row per provider (kind "all"), sorted by provider. */
  byProvider(): TotalRow[] {
    return this.#rollUp(
      (cell) => cell.provider,
      (key) => ({ provider: key, kind: "all" }),
    );
  }

  /** One row per kind (provider "all"), sorted by kind. */
  byKind(): TotalRow[] {
    return this.#rollUp(
      (cell) => cell.kind,
      (key) => ({ provider: "all", kind: key }),
    );
  }

  /** Everything. */
  total(): TotalRow {
    let entries = 0;
    let micros = 0n;
    for (const cell of this.#cells.values()) {
      entries += cell.entries;
      micros += cell.micros;
    }
    return { provider: "all", kind: "all", entries, micros, amount: formatMicros(micros) };
  }

  #rollUp(
    keyOf: (cell: { provider: string; kind: string }) => string,
    label: (key: string) => { provider: string; kind: string },
  ): TotalRow[] {
    const sums = new Map<string, { entries: number; micros: bigint }>();
    for (const cell of this.#cells.values()) {
      const key = keyOf(cell);
      const sum = sums.get(key) ?? { entries: 0, micros: 0n };
      sum.entries += cell.entries;
      sum.micros += cell.micros;
      sums.set(key, sum);
    }
    return [...sums.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, sum]) => ({ ...label(key), ...sum, amount: formatMicros(sum.micros) }));
  }
}
