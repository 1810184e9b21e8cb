import type { LedgerEntry } from "./types.js";

/**
 * Marks an iterable of entries that can also be read in batches (what `ledger()` returns), so
 * that writers skip one await per entry.
 */
export const PAGES: unique symbol = Symbol.for("spendkit.ledger.pages");

export interface Paged {
  [PAGES]?: () => AsyncIterable<readonly LedgerEntry[]>;
}
