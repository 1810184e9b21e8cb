import type { CurrencyCode } from "./currency.js";
import { formatMicros, parseDecimal } from "./money.js";
import { compareText } from "./time.js";
import type { LedgerEntry } from "./types.js";

export interface TotalRow {
  provider: string;
  kind: string;
  /** Every row is in one currency: a total never adds two. */
  currency: CurrencyCode;
  entries: number;
  /** Exact sum, millionths of the currency's unit. */
  micros: bigint;
  /** The same, as a canonical decimal string. */
  amount: string;
}

type Cell = Omit<TotalRow, "amount">;

/**
 * Exact running totals of a ledger by provider, kind and currency. Memory is one counter per
 * (provider, kind, currency), whatever the number of entries. Every roll-up keeps currencies
 * apart: "all providers" is one row per currency, never one figure.
 */
export class LedgerTotals {
  readonly #cells = new Map<string, Cell>();
  #entries = 0;

  add(entry: Pick<LedgerEntry, "provider" | "kind" | "amount" | "currency">): void {
    const key = `${entry.provider}\u0000${entry.kind}\u0000${entry.currency}`;
    let cell = this.#cells.get(key);
    if (!cell) {
      cell = {
        provider: entry.provider,
        kind: entry.kind,
        currency: entry.currency,
        entries: 0,
        micros: 0n,
      };
      this.#cells.set(key, cell);
    }
    cell.entries++;
    cell.micros += parseDecimal(entry.amount);
    this.#entries++;
  }

  /** How many entries were added, in every currency. */
  get entries(): number {
    return this.#entries;
  }

  /** One row per (provider, kind, currency), sorted by provider, kind, then currency. */
  byProviderAndKind(): TotalRow[] {
    return this.#rollUp((cell) => cell);
  }

  /** One row per provider and currency (kind "all"). */
  byProvider(): TotalRow[] {
    return this.#rollUp((cell) => ({ ...cell, kind: "all" }));
  }

  /** One row per kind and currency (provider "all"). */
  byKind(): TotalRow[] {
    return this.#rollUp((cell) => ({ ...cell, provider: "all" }));
  }

  /** One row per currency (provider and kind "all"): the grand totals, kept apart. */
  byCurrency(): TotalRow[] {
    return this.#rollUp((cell) => ({ ...cell, provider: "all", kind: "all" }));
  }

  #rollUp(label: (cell: Cell) => Pick<Cell, "provider" | "kind" | "currency">): TotalRow[] {
    const sums = new Map<string, Cell>();
    for (const cell of this.#cells.values()) {
      const { provider, kind, currency } = label(cell);
      const key = `${provider}\u0000${kind}\u0000${currency}`;
      const sum = sums.get(key) ?? { provider, kind, currency, entries: 0, micros: 0n };
      sum.entries += cell.entries;
      sum.micros += cell.micros;
      sums.set(key, sum);
    }
    return [...sums.values()]
      .sort(
        (a, b) =>
          compareText(a.provider, b.provider) ||
          compareText(a.kind, b.kind) ||
          compareText(a.currency, b.currency),
      )
      .map((sum) => ({ ...sum, amount: formatMicros(sum.micros) }));
  }
}
