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
 * The FOCUS 1.2 columns written, in order: the mandatory ones, the recommended ones the
 * ledger can fill (ChargeFrequency, InvoiceId, ServiceSubcategory) and the conditional ones of
 * attribution (SubAccount*, Tags), alphabetical as FOCUS lists them, then spendkit's own `x_`
 * columns. The README's FOCUS section says where each comes from.
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
  "InvoiceId",
  "InvoiceIssuerName",
  "ListCost",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "ServiceCategory",
  "ServiceName",
  "ServiceSubcategory",
  "SubAccountId",
  "SubAccountName",
  "SubAccountType",
  "Tags",
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
 * charge to the customer. Every row has one charge (the ledger amount, negated for all kinds but
 * the top-up); the kind says which of the cost columns carry it and which are 0:
 *
 * - BilledCost is what is invoiced. A top-up is billed (paid) when bought, so the spend drawn
 *   from the balance later (usage, refunds, renewals) is not billed again: BilledCost 0.
 * - EffectiveCost is what was consumed, with the top-up itself at 0: FOCUS requires 0 for a
 *   purchase that covers future charges (FOCUS 1.2, specification/columns/effectivecost.md); its
 *   value is recognised as the balance is used, like an amortised upfront purchase.
 * - Credits and adjustments are charges unrelated to other charges, and FOCUS requires their
 *   EffectiveCost, ListCost and ContractedCost to match their BilledCost (effectivecost.md,
 *   listcost.md, contractedcost.md): they carry the charge in every cost column.
 * - ListCost and ContractedCost always carry the charge: no provider reports a list price or a
 *   negotiated discount per record, so the price paid is both.
 *
 * So over an export, Σ EffectiveCost = money consumed (usage − refunds − credits + debits +
 * renewals + invoices) and Σ BilledCost = money billed (top-ups + postpaid invoices − credits +
 * debits).
 */
export const FOCUS_MAPPING: Record<
  LedgerKind,
  {
    category: "Usage" | "Purchase" | "Credit" | "Adjustment";
    frequency: "One-Time" | "Recurring" | "Usage-Based";
    /**
     * The charge in the provider's view, from the ledger amount (customer's view): a top-up is a
     * payment for credit (+amount); every other kind is the opposite (spend +, credit −).
     */
    charge: 1n | -1n;
    /** Whether BilledCost carries the charge (else 0). */
    billed: boolean;
    /** Whether EffectiveCost carries the charge (else 0). */
    consumed: boolean;
    /** Whether PricingQuantity/PricingUnit apply (FOCUS requires them for usage and purchases). */
    priced: boolean;
  }
> = {
  topup: {
    category: "Purchase",
    frequency: "One-Time",
    charge: 1n,
    billed: true,
    consumed: false,
    priced: true,
  },
  usage: {
    category: "Usage",
    frequency: "Usage-Based",
    charge: -1n,
    billed: false,
    consumed: true,
    priced: true,
  },
  // Spend given back to the balance: FOCUS counts refunds of usage as (negative) usage.
  refund: {
    category: "Usage",
    frequency: "Usage-Based",
    charge: -1n,
    billed: false,
    consumed: true,
    priced: true,
  },
  credit: {
    category: "Credit",
    frequency: "One-Time",
    charge: -1n,
    billed: true,
    consumed: true,
    priced: false,
  },
  debit: {
    category: "Adjustment",
    frequency: "One-Time",
    charge: -1n,
    billed: true,
    consumed: true,
    priced: false,
  },
  subscription: {
    category: "Purchase",
    frequency: "Recurring",
    charge: -1n,
    billed: false,
    consumed: true,
    priced: true,
  },
  invoice: {
    category: "Usage",
    frequency: "Usage-Based",
    charge: -1n,
    billed: true,
    consumed: true,
    priced: true,
  },
};

/** The tag of the API key id an entry is attributed to. */
export const API_KEY_TAG = "spendkit/api-key-id";

/** The last instant a FOCUS date-time can write: its years have four digits. */
const LAST_FOCUS_TIME = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * FOCUS date-times: ISO 8601 in UTC, to the second. The one bound beyond year 9999 (the end of
 * a period in December 9999, a booking time the ledger accepts) is written as the last second of
 * 9999, so that the row stays well-formed and its periods non-empty.
 */
function focusTime(date: Date): string {
  const time = Math.min(date.getTime(), LAST_FOCUS_TIME);
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}

/** The FOCUS row of one ledger entry. */
export function focusRow(entry: LedgerEntry): Record<FocusColumn, string> {
  // An entry of a provider the package does not know (written by hand) gets its name as is.
  const adapter: Pick<
    ProviderAdapter<unknown>,
    | "displayName"
    | "serviceName"
    | "subAccountType"
    | "billingAccount"
    | "chargePeriod"
    | "invoiceId"
  > = lookup(adapters as Record<string, ProviderAdapter<unknown>>, entry.provider) ?? {
    displayName: entry.provider,
    serviceName: entry.provider,
  };
  const mapping = lookup(FOCUS_MAPPING, entry.kind);
  if (!mapping) throw new TypeError(`not a ledger kind: ${JSON.stringify(entry.kind)}`);
  const micros = parseDecimal(entry.amount);
  const charge = mapping.charge * micros;
  const billed = mapping.billed ? charge : 0n;
  const effective = mapping.consumed ? charge : 0n;
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
    // Null: "Correction" is for a correction of a previously invoiced billing period, and no
    // provider's record says which period a refund or an adjustment corrects.
    ChargeClass: "",
    // Never empty (FOCUS reads an empty cell as null): the kind and model say what it was.
    ChargeDescription:
      entry.description ||
      [adapter.displayName, entry.kind, entry.model && `(${entry.model})`]
        .filter(Boolean)
        .join(" "),
    ChargeFrequency: mapping.frequency,
    ChargePeriodEnd: focusTime(period.end),
    ChargePeriodStart: focusTime(period.start),
    ContractedCost: formatMicros(charge),
    EffectiveCost: formatMicros(effective),
    InvoiceId: adapter.invoiceId?.(entry) ?? "",
    InvoiceIssuerName: adapter.displayName,
    ListCost: formatMicros(charge),
    PricingQuantity: mapping.priced ? "1" : "",
    PricingUnit: mapping.priced ? "Transactions" : "",
    ProviderName: adapter.displayName,
    PublisherName: adapter.displayName,
    ServiceCategory: "AI and Machine Learning",
    ServiceName: adapter.serviceName,
    ServiceSubcategory: "Generative AI",
    // The project or workspace the spend is attributed to; FOCUS has no column for a name the
    // providers do not report, so the id names it too.
    SubAccountId: entry.project ?? "",
    SubAccountName: entry.project ?? "",
    SubAccountType: entry.project === undefined ? "" : (adapter.subAccountType ?? "Project"),
    // Provider-defined tags carry spendkit's prefix (FOCUS ProviderTagPrefixes: "spendkit/").
    Tags: entry.apiKey === undefined ? "" : JSON.stringify({ [API_KEY_TAG]: entry.apiKey }),
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
