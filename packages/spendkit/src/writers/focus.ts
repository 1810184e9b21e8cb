import { adapters } from "../adapters/index.js";
import { lookup } from "../lookup.js";
import { formatMicros, parseDecimal } from "../money.js";
import { dayStart, monthStart } from "../time.js";
import type { LedgerEntry, LedgerKind, ProviderAdapter } from "../types.js";
import { csvRecord } from "./csv.js";
import {
  createWriter,
  type LedgerFormatter,
  type LedgerWriter,
  type Output,
  type Paged,
  pipeEntries,
} from "./output.js";

/**
 * The FOCUS 1.2 columns written, in order: the mandatory ones and a few recommended ones
 * (alphabetical, as FOCUS lists them), then spendkit's own `x_` columns.
 */
export const FOCUS_COLUMNS = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ContractedCost",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "ServiceCategory",
  "ServiceName",
  "ServiceSubcategory",
  "x_SpendkitEntryId",
  "x_SpendkitKind",
  "x_SpendkitAmount",
  "x_SpendkitBalanceAfter",
  "x_SpendkitModel",
  "x_SpendkitReference",
] as const;

export type FocusColumn = (typeof FOCUS_COLUMNS)[number];

/** Columns of numbers and date-times: written as they are (text columns are defused). */
const NUMERIC_COLUMNS: ReadonlySet<FocusColumn> = new Set([
  "BilledCost",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ContractedCost",
  "EffectiveCost",
  "ListCost",
  "PricingQuantity",
  "x_SpendkitAmount",
  "x_SpendkitBalanceAfter",
]);
const NUMERIC = FOCUS_COLUMNS.map((column) => NUMERIC_COLUMNS.has(column));

/**
 * How each ledger kind maps to FOCUS. FOCUS costs are the provider's billing view: positive is a
 * charge to the customer. Two costs differ for prepaid balances:
 *
 * - BilledCost is what is invoiced: a top-up is billed (paid) when bought, so the spend drawn from
 *   the balance later is not billed again (BilledCost 0).
 * - EffectiveCost is what was consumed: usage and other balance movements, with the top-up itself
 *   at 0 (its value is recognised as the balance is used, like an amortised upfront purchase).
 *
 * So over an export, Σ BilledCost = money paid (top-ups and postpaid invoices) and
 * Σ EffectiveCost = money consumed (spend − refunds − credits + debits + renewals + invoices).
 */
export const FOCUS_MAPPING: Record<
  LedgerKind,
  {
    category: "Usage" | "Purchase" | "Credit" | "Adjustment" | "Tax";
    frequency: "One-Time" | "Recurring" | "Usage-Based";
    /**
     * The charge in the provider's view, from the ledger amount (customer's view): a top-up is a
     * payment for credit (+amount); every other kind is the opposite (spend +, credit −).
     */
    charge: 1n | -1n;
    /** Which cost the row carries: `billed` (paid now), `consumed` (from a balance), or both. */
    cost: "billed" | "consumed" | "both";
    /** Whether PricingQuantity/PricingUnit apply (FOCUS leaves them null for credits/adjustments). */
    priced: boolean;
  }
> = {
  topup: { category: "Purchase", frequency: "One-Time", charge: 1n, cost: "billed", priced: true },
  usage: {
    category: "Usage",
    frequency: "Usage-Based",
    charge: -1n,
    cost: "consumed",
    priced: true,
  },
  refund: {
    category: "Credit",
    frequency: "Usage-Based",
    charge: -1n,
    cost: "consumed",
    priced: false,
  },
  credit: {
    category: "Credit",
    frequency: "One-Time",
    charge: -1n,
    cost: "consumed",
    priced: false,
  },
  debit: {
    category: "Adjustment",
    frequency: "One-Time",
    charge: -1n,
    cost: "consumed",
    priced: false,
  },
  subscription: {
    category: "Purchase",
    frequency: "Recurring",
    charge: -1n,
    cost: "consumed",
    priced: true,
  },
  invoice: { category: "Usage", frequency: "Usage-Based", charge: -1n, cost: "both", priced: true },
};

/** FOCUS date-times: ISO 8601 in UTC, to the second. */
function focusTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The FOCUS row of one ledger entry. */
export function focusRow(entry: LedgerEntry): Record<FocusColumn, string> {
  // An entry of a provider the package does not know (written by hand) gets its name as is.
  const adapter: Pick<
    ProviderAdapter<unknown>,
    "displayName" | "serviceName" | "billingAccount" | "chargePeriod"
  > = lookup(adapters as Record<string, ProviderAdapter<unknown>>, entry.provider) ?? {
    displayName: entry.provider,
    serviceName: entry.provider,
  };
  const mapping = lookup(FOCUS_MAPPING, entry.kind);
  if (!mapping) throw new TypeError(`not a ledger kind: ${JSON.stringify(entry.kind)}`);
  const micros = parseDecimal(entry.amount);
  const charge = mapping.charge * micros;
  const billed = mapping.cost === "consumed" ? 0n : charge;
  const effective = mapping.cost === "billed" ? 0n : charge;
  const time = new Date(entry.time);
  const period = adapter.chargePeriod?.(entry) ?? { start: dayStart(time), end: dayStart(time, 1) };
  const billingStart = monthStart(period.start);
  return {
    BilledCost: formatMicros(billed),
    BillingAccountId: adapter.billingAccount?.(entry) ?? entry.provider,
    BillingAccountName: adapter.displayName,
    BillingCurrency: entry.currency,
    BillingPeriodEnd: focusTime(monthStart(billingStart, 1)),
    BillingPeriodStart: focusTime(billingStart),
    ChargeCategory: mapping.category,
    ChargeClass: "",
    ChargeDescription:
      entry.description ??
      [adapter.displayName, entry.kind, entry.model && `(${entry.model})`]
        .filter(Boolean)
        .join(" "),
    ChargeFrequency: mapping.frequency,
    ChargePeriodEnd: focusTime(period.end),
    ChargePeriodStart: focusTime(period.start),
    ContractedCost: formatMicros(charge),
    EffectiveCost: formatMicros(effective),
    InvoiceIssuerName: adapter.displayName,
    ListCost: formatMicros(charge),
    PricingQuantity: mapping.priced ? "1" : "",
    PricingUnit: mapping.priced ? "Transactions" : "",
    ProviderName: adapter.displayName,
    PublisherName: adapter.displayName,
    ServiceCategory: "AI and Machine Learning",
    ServiceName: adapter.serviceName,
    ServiceSubcategory: "Generative AI",
    x_SpendkitEntryId: entry.id,
    x_SpendkitKind: entry.kind,
    x_SpendkitAmount: entry.amount,
    x_SpendkitBalanceAfter: entry.balanceAfter ?? "",
    x_SpendkitModel: entry.model ?? "",
    x_SpendkitReference: entry.reference ?? "",
  };
}

/** FOCUS 1.2 cost-and-usage rows as RFC 4180 CSV (header, CRLF), one row per ledger entry. */
export function focusFormatter(): LedgerFormatter {
  return {
    header: () => csvRecord(FOCUS_COLUMNS),
    row(entry) {
      const row = focusRow(entry);
      return csvRecord(
        FOCUS_COLUMNS.map((column) => row[column]),
        NUMERIC,
      );
    },
    footer: () => "",
  };
}

export function createFocusWriter(out: Output): LedgerWriter {
  return createWriter(out, focusFormatter());
}

export function writeFocus(
  entries: AsyncIterable<LedgerEntry> & Paged,
  out: Output,
): Promise<number> {
  return pipeEntries(entries, createFocusWriter(out));
}
