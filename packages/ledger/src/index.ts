// spendkit: every provider's billing client, one exact ledger across them, and its writers.
// The public surface is what a user of the ledger needs; the building blocks stay internal.

export {
  type AnthropicClient,
  type AnthropicClientOptions,
  createAnthropicClient,
} from "@spendkit/anthropic";
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
  createDeepSeekClient,
  type DeepSeekClient,
  type DeepSeekClientOptions,
} from "@spendkit/deepseek";
export {
  createOpenAIClient,
  type OpenAIClient,
  type OpenAIClientOptions,
} from "@spendkit/openai";
export {
  createOpenRouterClient,
  type OpenRouterClient,
  type OpenRouterClientOptions,
} from "@spendkit/openrouter";
export {
  createWaveSpeedClient,
  type WaveSpeedClient,
  type WaveSpeedClientOptions,
} from "@spendkit/wavespeed";
export { createXaiClient, type XaiClient, type XaiClientOptions } from "@spendkit/xai";
// The building blocks the spendkit application (its CLI and store commands) is made of: the
// registry by name, the text and writer primitives, exact per-currency sums. Public so that the
// application depends on this package's API only; see the README's "Building blocks".
export {
  adapterOf,
  adapters,
  isProviderName,
  type LedgerClients,
  type ProviderName,
  providerNames,
} from "./adapters/index.js";
export { type CurrencyCode, currencyCode, isCurrencyCode, PerCurrency } from "./currency.js";
export { balanceOnlyNote, type LedgerOptions, ledger, ledgerPages } from "./ledger.js";
export { formatMicros, parseDecimal, sumAmounts } from "./money.js";
export { compareText, utcDay } from "./time.js";
export { LedgerTotals, type TotalRow } from "./totals.js";
export type {
  Balance,
  LedgerAdapter,
  LedgerEntry,
  LedgerKind,
  ProviderAdapter,
  ReconcileChecks,
  UsageRow,
} from "./types.js";
export { CSV_COLUMNS, createCsvWriter, writeCsv } from "./writers/csv.js";
export { createFocusWriter, FOCUS_COLUMNS, writeFocus } from "./writers/focus.js";
export { createJsonLinesWriter, type JsonLinesOptions, writeJsonLines } from "./writers/jsonl.js";
export type { LedgerFormatter, LedgerWriter, Output } from "./writers/output.js";
export { createTableWriter, type TableOptions, writeTable } from "./writers/table.js";
export { columns, padEnd, padStart, printable, truncate } from "./writers/text.js";
