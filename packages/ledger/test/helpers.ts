import type { LedgerEntry } from "../src/index.js";

export {
  collect,
  csvObjects,
  fakeFetch,
  memoryOutput,
  parseCsv,
  streamOf,
} from "@spendkit/mock";

/** A minimal entry for writer and merge tests. */
export function entry(
  fields: Partial<LedgerEntry> & Pick<LedgerEntry, "provider" | "id" | "time">,
): LedgerEntry {
  return { kind: "usage", amount: "-1.00", currency: "USD", raw: {}, ...fields };
}
