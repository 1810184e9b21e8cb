// spendkit: the three billing clients, one exact ledger across them, and its writers.

export {
  type ByteSpikeClient,
  type ByteSpikeClientOptions,
  createByteSpikeClient,
} from "@spendkit/bytespike";
export type { AllOptions, CallOptions, ClientOptions } from "@spendkit/core";
export {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InputError,
  NotFoundError,
  PaginationError,
  RateLimitError,
  RedirectError,
  ResponseTooLargeError,
  ServerError,
  SpendkitError,
  TimeoutError,
} from "@spendkit/core";
export {
  createWaveSpeedClient,
  type WaveSpeedClient,
  type WaveSpeedClientOptions,
} from "@spendkit/wavespeed";
export { createXaiClient, type XaiClient, type XaiClientOptions } from "@spendkit/xai";
export { adapters, providerNames } from "./adapters/index.js";
export { type LedgerOptions, ledger, ledgerPages } from "./ledger.js";
export { flatten, type MergeSource, mergeSorted } from "./merge.js";
export {
  centMillionthsToMicros,
  centObjectToMicros,
  centsToMicros,
  divideHalfEven,
  formatMicros,
  formatUsd,
  MICROS_PER_CENT,
  MICROS_PER_USD,
  parseDecimal,
  parseUsd,
  sumAmounts,
} from "./money.js";
export { LedgerTotals, type TotalRow } from "./totals.js";
export type {
  AdapterContext,
  LedgerClients,
  LedgerEntry,
  LedgerKind,
  LedgerWindow,
  ProviderAdapter,
  ProviderEnv,
  ProviderName,
  UsageRow,
} from "./types.js";
export {
  CSV_COLUMNS,
  createCsvWriter,
  csvField,
  csvFormatter,
  csvRecord,
  writeCsv,
} from "./writers/csv.js";
export {
  createFocusWriter,
  FOCUS_COLUMNS,
  FOCUS_MAPPING,
  type FocusColumn,
  focusFormatter,
  focusRow,
  writeFocus,
} from "./writers/focus.js";
export {
  createJsonLinesWriter,
  type JsonLinesOptions,
  jsonLinesFormatter,
  writeJsonLines,
} from "./writers/jsonl.js";
export {
  createWriter,
  type LedgerFormatter,
  type LedgerWriter,
  type Output,
  PAGES,
  type Paged,
  pipeEntries,
} from "./writers/output.js";
export {
  createTableWriter,
  type TableOptions,
  tableFormatter,
  writeTable,
} from "./writers/table.js";
