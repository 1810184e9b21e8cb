import type { ProviderName } from "./adapters/index.js";
import type { CurrencyCode } from "./currency.js";

export type { LedgerClients, ProviderName } from "./adapters/index.js";

/**
 * What moved the money, in one vocabulary across providers (the provider's own word is in
 * `raw`). The sign of `amount` says which way it moved; the kind says why.
 *
 * - `topup`: the customer bought credit (card, wire, automatic top-up).
 * - `usage`: credit spent on API calls.
 * - `refund`: spend given back (a failed call rolled back, a refund to the balance).
 * - `credit` / `debit`: an adjustment by the provider's staff (goodwill credit, correction).
 * - `subscription`: a subscription renewal paid from the balance.
 * - `invoice`: a postpaid invoice (usage billed after the fact, not drawn from a balance).
 */
export type LedgerKind =
  | "topup"
  | "usage"
  | "refund"
  | "credit"
  | "debit"
  | "subscription"
  | "invoice";

/** One movement of money, normalised. */
export interface LedgerEntry {
  provider: ProviderName;
  /** The provider's id of the record (unique per provider). */
  id: string;
  /** When it was booked: ISO 8601 in UTC with milliseconds (`2026-05-21T14:08:11.000Z`). */
  time: string;
  kind: LedgerKind;
  /**
   * Signed exact decimal of `currency`, the customer's view: credit (top-up, refund, goodwill)
   * positive, spend negative. Canonical form: see `formatMicros`.
   */
  amount: string;
  /** The balance right after this entry, in the same currency, when the provider reports it. */
  balanceAfter?: string;
  /** ISO 4217, upper case. Amounts of different currencies are never added together. */
  currency: CurrencyCode;
  description?: string;
  model?: string;
  /** A provider reference: receipt, invoice number, prediction id. */
  reference?: string;
  /**
   * Who spent it, where the provider attributes spend: the project or workspace id (OpenAI
   * project, Anthropic workspace; each adapter's README section says how an unnamed default
   * is written) ...
   */
  project?: string;
  /** ... and the provider's id of the API key (never the key itself). */
  apiKey?: string;
  /** The provider's record, untouched. */
  raw: unknown;
}

/** The half-open window [since, until) an export covers. */
export interface LedgerWindow {
  /** Inclusive; absent: from the beginning of the account. */
  since?: Date | undefined;
  /** Exclusive; pinned when the export starts. */
  until: Date;
}

/** What an adapter gets besides its client. */
export interface AdapterContext {
  window: LedgerWindow;
  signal: AbortSignal;
  /** Reports a record the adapter could not book (unknown type, bad timestamp, ...). */
  warn(message: string): void;
  /** Told how many rows the window holds, where the provider states it (for progress). */
  reportTotal?(rows: number): void;
}

/** Spend of one model on one day (UTC), from a provider's usage endpoint. */
export interface UsageRow {
  provider: ProviderName;
  /** YYYY-MM-DD */
  day: string;
  model: string;
  currency: CurrencyCode;
  /** Spend in millionths of the currency's unit, positive. */
  micros: bigint;
  requests?: number | undefined;
  /** Tokens used, where the provider reports them. */
  tokens?: number | undefined;
}

/** A balance in one currency: millionths of its unit (micro-dollars for USD), signed. */
export interface Balance {
  currency: CurrencyCode;
  micros: bigint;
}

/** The environment variables a provider is configured from. */
export interface ProviderEnv {
  apiKey: string;
  baseUrl: string;
  /** Further client options, each read from an environment variable: option → variable. */
  options?: Record<string, string>;
}

/**
 * Everything that differs between providers, in one object per provider. The ledger, the
 * writers and the CLI only ever go through this interface.
 */
export interface ProviderAdapter<Client> {
  /** The short name: the key of the registry, `--provider` values, `LedgerEntry.provider`. */
  name: string;
  /** The provider's name for people and for FOCUS `ProviderName`, as the provider writes it. */
  displayName: string;
  /** What the CLI's help says of where each figure comes from. */
  sources: {
    /** e.g. "getAccount (balance.available_usd)". */
    balance: string;
    /** e.g. "getUsage grouped by day and model". */
    usage: string;
  };
  /** FOCUS `ServiceName`. */
  serviceName: string;
  /**
   * FOCUS `SubAccountType`: what the provider calls the unit `LedgerEntry.project` names
   * ("Project", "Workspace"), for providers that attribute spend to one.
   */
  subAccountType?: string;
  env: ProviderEnv;
  createClient(options: { apiKey: string; baseUrl?: string; [option: string]: unknown }): Client;
  /**
   * Every entry of the window, in ascending time order, in batches (typically a page each), with
   * bounded memory (documented exceptions aside). Errors propagate: the ledger decides what a
   * failure means. Absent for a provider whose API reports balances and nothing else: `ledger`
   * and `sync` say so instead of reading an empty history.
   */
  entries?(client: Client, context: AdapterContext): AsyncIterable<readonly LedgerEntry[]>;
  /**
   * The balance available now: one per currency the account holds (most hold one), in currency
   * order. Absent for a provider whose API reports spend but no balance (a cost report).
   */
  balance?(client: Client, signal?: AbortSignal): Promise<readonly Balance[]>;
  /**
   * For a provider that keeps its history only for a while: how many days back it answers.
   * `sync` warns, naming the days, when an account's last successful sync is older than that.
   */
  retentionDays?: number;
  /**
   * For a provider with no transactions to walk from the beginning (a cost report): how many days
   * before the window's end a window without a start reads, and a first sync without `--since`.
   */
  defaultHistoryDays?: number;
  /**
   * For entries that are sums over a period still filling (today's cost bucket): the hours after
   * an entry's time during which the provider may still change it. The store updates such an
   * entry in place without an audit alarm until then, plus its settling window.
   */
  openBucketHours?: number;
  /** Spend per day and model over the window; absent where the API reports no spend. */
  usage?(
    client: Client,
    window: { since: Date; until: Date },
    signal?: AbortSignal,
  ): Promise<UsageRow[]>;
  /** FOCUS `BillingAccountId` of an entry, when the record names the account. */
  billingAccount?(entry: LedgerEntry): string | undefined;
  /** FOCUS charge period of an entry, when the record says more than its booking time. */
  chargePeriod?(entry: LedgerEntry): { start: Date; end: Date } | undefined;
  /**
   * FOCUS `InvoiceId` of an entry: the provider's id of the invoice that bills it, when the
   * record names one. Entries no invoice bills (spend from a prepaid balance) have none.
   */
  invoiceId?(entry: LedgerEntry): string | undefined;
  /** Which of the store's reconciliation checks apply to this provider's entries. */
  reconcile?: ReconcileChecks;
}

/**
 * An adapter of a provider whose API lists what moved the money: `entries` and `usage` are
 * there (the adapters of every provider but the balance-only ones are typed so).
 */
export interface LedgerAdapter<Client> extends ProviderAdapter<Client> {
  entries: NonNullable<ProviderAdapter<Client>["entries"]>;
  usage: NonNullable<ProviderAdapter<Client>["usage"]>;
}

/** What `spendkit reconcile` can check for a provider (see @spendkit/store's checks). */
export interface ReconcileChecks {
  /** Each entry's balanceAfter is the previous one plus its amount; the last is the live balance. */
  runningBalance?: boolean;
  /** The live balance is the sum of the amounts of these kinds over the whole history. */
  balanceIsSumOf?: readonly LedgerKind[];
  /** Kinds that are adjustments by the provider's staff: each becomes an audit event. */
  adjustmentKinds?: readonly LedgerKind[];
}
