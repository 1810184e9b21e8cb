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
export {
  adapters,
  type LedgerClients,
  type ProviderName,
  providerNames,
} from "./adapters/index.js";
export { type CurrencyCode, isCurrencyCode } from "./currency.js";
export { type LedgerOptions, ledger, ledgerPages } from "./ledger.js";
export { formatMicros, parseDecimal, sumAmounts } from "./money.js";
export { LedgerTotals, type TotalRow } from "./totals.js";
export type {
  Balance,
  LedgerAdapter,
  LedgerEntry,
  LedgerKind,
  ProviderAdapter,
  ReconcileChecks,
} from "./types.js";
export { CSV_COLUMNS, writeCsv } from "./writers/csv.js";
export { FOCUS_COLUMNS, writeFocus } from "./writers/focus.js";
export { type JsonLinesOptions, writeJsonLines } from "./writers/jsonl.js";
export type { Output } from "./writers/output.js";
export { type TableOptions, writeTable } from "./writers/table.js";
