import { createXaiClient, operationTable, type XaiClient } from "@spendkit/xai";
import { lookup } from "../lookup.js";
import { describeValue, formatMicros, moneyUnit, parseMoney } from "../money.js";
import { amountOf, bookEach, labelOf, RecordError, recordId } from "../records.js";
import { compareEntries, isoTime, monthStart } from "../time.js";
import type { AdapterContext, LedgerAdapter, LedgerEntry, LedgerKind, UsageRow } from "../types.js";

type PrepaidBalance = Awaited<ReturnType<XaiClient["getPrepaidBalance"]>>;
type Change = NonNullable<PrepaidBalance["changes"]>[number];
type Invoices = Awaited<ReturnType<XaiClient["listInvoices"]>>;
type Invoice = NonNullable<Invoices["invoices"]>[number];

/**
 * xAI's prepaid change origins → ledger kinds. xAI reports the balance from the debt side
 * (purchases negative, spend positive): every amount is negated into the customer's view.
 * MANUAL adjustments take their kind from the sign.
 */
const ORIGINS: Record<string, LedgerKind | "manual"> = {
  PURCHASE: "topup",
  AUTO_PURCHASE: "topup",
  SPEND: "usage",
  REFUND: "refund",
  MANUAL: "manual",
};

/** The units the spec gives the amounts this adapter reads. */
const UNITS = {
  change: moneyUnit(operationTable.getPrepaidBalance, "/changes/*/amount"),
  total: moneyUnit(operationTable.getPrepaidBalance, "/total"),
  invoice: moneyUnit(operationTable.listInvoices, "/invoices/*/total"),
};

/** Top-up statuses other than SUCCEEDED: money not (yet) moved. */
const UNSETTLED_TOPUP = new Set([
  "TO_GENERATE_INVOICE",
  "FAILED_TO_GEMNERATE_INVOICE",
  "FAILED_TO_GENERATE_INVOICE",
  "TO_CHARGE",
  "FAILED_TO_CHARGE",
]);

/** How many billing cycles before `since` an invoice issued inside the window may bill. */
const INVOICE_LAG_MONTHS = 3;

/** Statuses of a monthly invoice whose total is owed (charged, being charged, or failed to charge). */
const OWED_INVOICE = new Set(["PENDING", "PAID", "FAILED"]);

/**
 * The prepaid balance changes (`getPrepaidBalance`) and the monthly postpaid invoices
 * (`listInvoices`). Neither endpoint is paginated: each is one response, already in memory, so the
 * adapter sorts their entries there.
 */
async function* entries(client: XaiClient, context: AdapterContext) {
  const { window, signal } = context;
  // `since` filters invoices by billing cycle, and a cycle's invoice is issued after the cycle:
  // ask for a few cycles more and let the ledger trim by issue time.
  const since = window.since && monthStart(window.since, -INVOICE_LAG_MONTHS);
  const [balance, invoices] = await Promise.all([
    client.getPrepaidBalance({}, { signal }),
    client.listInvoices(
      since ? { "since.year": since.getUTCFullYear(), "since.month": since.getUTCMonth() + 1 } : {},
      { signal },
    ),
  ]);
  // Proto3 JSON leaves out an empty repeated field; anything but an array is not a list.
  const found = [
    ...changeEntries(Array.isArray(balance.changes) ? balance.changes : [], context),
    ...invoiceEntries(Array.isArray(invoices.invoices) ? invoices.invoices : [], context),
  ];
  yield found.sort(compareEntries);
}

export function changeEntries(
  changes: readonly Change[],
  context: Pick<AdapterContext, "warn">,
): LedgerEntry[] {
  const seen = new Map<string, number>();
  return bookEach(
    changes,
    (change) => {
      const origin =
        typeof change.changeOrigin === "string" ? change.changeOrigin : "INVALID_ORIGIN";
      const mapped = lookup(ORIGINS, origin);
      if (!mapped) throw new RecordError(`origin ${describeValue(change.changeOrigin)}`);
      const time = isoTime(change.createTime) ?? isoTime(change.createTs);
      if (!time) throw new RecordError("no valid createTime");
      if (mapped === "topup" && change.topupStatus !== "SUCCEEDED") {
        // A purchase not yet charged, or one that failed: no money moved (yet). It is booked by
        // a later export once it has SUCCEEDED.
        if (UNSETTLED_TOPUP.has(String(change.topupStatus))) return undefined;
        throw new RecordError(`status ${describeValue(change.topupStatus ?? "missing")}`);
      }
      const micros = -amountOf("amount", () => parseMoney(change.amount, UNITS.change));
      const kind: LedgerKind = mapped === "manual" ? (micros < 0n ? "debit" : "credit") : mapped;
      // xAI gives changes no id: purchases are named by their invoice, the others by origin and
      // time, numbered when several share both (one response, so the numbering is stable).
      const base =
        change.invoiceId !== undefined && change.invoiceId !== null && change.invoiceId !== ""
          ? `prepaid-${recordId(change.invoiceId, "invoiceId")}`
          : `prepaid-${origin.toLowerCase()}-${time}`;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      const entry: LedgerEntry = {
        provider: "xai",
        id: count === 1 ? base : `${base}-${count}`,
        time,
        kind,
        amount: formatMicros(micros),
        currency: "USD",
        raw: change,
      };
      const description = describeChange(change, origin);
      if (description) entry.description = description;
      if (typeof change.invoiceNumber === "string" && change.invoiceNumber) {
        entry.reference = change.invoiceNumber;
      }
      return entry;
    },
    context,
    (change) => `prepaid change (${describe(change)})`,
  );
}

function describeChange(change: Change, origin: string): string | undefined {
  switch (origin) {
    case "PURCHASE":
      return "prepaid credit purchase";
    case "AUTO_PURCHASE":
      return "automatic prepaid credit purchase";
    case "SPEND":
      return change.spendBpKeyYear && change.spendBpKeyMonth
        ? `prepaid credit spent in ${change.spendBpKeyYear}-${String(change.spendBpKeyMonth).padStart(2, "0")}`
        : "prepaid credit spent";
    case "REFUND":
      return "refund to prepaid credit";
    case "MANUAL":
      return "manual adjustment by xAI";
    default:
      return undefined;
  }
}

export function invoiceEntries(
  invoices: readonly Invoice[],
  context: Pick<AdapterContext, "warn">,
): LedgerEntry[] {
  return bookEach(
    invoices,
    (invoice) => {
      // Prepaid invoices bill the purchases already booked from the balance changes;
      // subscription invoices have no documented relation to the prepaid balance. Only monthly
      // (postpaid) invoices are charges of their own.
      if (!invoice.monthly) return undefined;
      const status = typeof invoice.invoiceStatus === "string" ? invoice.invoiceStatus : "INVALID";
      if (status === "WILL_NEVER_BE_CHARGED") return undefined;
      if (!OWED_INVOICE.has(status)) throw new RecordError(`status ${describeValue(status)}`);
      const id = recordId(invoice.invoiceId, "invoiceId");
      const time = isoTime(invoice.createTime);
      if (!time) throw new RecordError("no valid createTime");
      const cycle = invoice.monthly.billingCycle;
      const entry: LedgerEntry = {
        provider: "xai",
        id: `invoice-${id}`,
        time,
        kind: "invoice",
        amount: formatMicros(
          -amountOf("total", () => parseMoney(invoice.total ?? "0", UNITS.invoice)),
        ),
        currency: "USD",
        description:
          Number.isInteger(cycle?.year) && Number.isInteger(cycle?.month)
            ? `postpaid invoice ${cycle!.year}-${String(cycle!.month).padStart(2, "0")}`
            : "postpaid invoice",
        raw: invoice,
      };
      if (typeof invoice.invoiceNumber === "string" && invoice.invoiceNumber) {
        entry.reference = invoice.invoiceNumber;
      }
      return entry;
    },
    context,
    (invoice) => labelOf("invoice", invoice.invoiceNumber ?? invoice.invoiceId),
  );
}

function describe(change: Change): string {
  return [change.createTime ?? change.createTs, change.invoiceNumber, change.amount?.val]
    .filter((part) => typeof part === "string" && part !== "")
    .map((part) => describeValue(part).replace(/^"|"$/g, ""))
    .join(", ");
}

/** The month a monthly invoice bills, or a SPEND change is for. */
function chargePeriod(entry: LedgerEntry): { start: Date; end: Date } | undefined {
  const raw = entry.raw as {
    monthly?: { billingCycle?: { year?: number; month?: number } | null } | null;
    spendBpKeyYear?: number;
    spendBpKeyMonth?: number;
  };
  const year = raw?.monthly?.billingCycle?.year ?? raw?.spendBpKeyYear;
  const month = raw?.monthly?.billingCycle?.month ?? raw?.spendBpKeyMonth;
  const start = monthOf(year, month);
  if (!start) return undefined;
  return { start, end: monthStart(start, 1) };
}

/**
 * The first instant of a calendar month named by server data, or undefined when it names none:
 * non-integers, and years outside 1970 to 9999 (FOCUS date-times have four-digit years, and
 * Date.UTC would read 0 to 99 as 19xx).
 */
function monthOf(year: unknown, month: unknown): Date | undefined {
  if (typeof year !== "number" || typeof month !== "number") return undefined;
  if (!Number.isInteger(year) || !Number.isInteger(month)) return undefined;
  if (year < 1970 || year > 9999 || month < 1 || month > 12) return undefined;
  return new Date(Date.UTC(year, month - 1, 1));
}

/** A non-empty string field of an entry's xAI record. */
function recordText(entry: LedgerEntry, field: "teamId" | "invoiceId"): string | undefined {
  const value = (entry.raw as Record<string, unknown> | null | undefined)?.[field];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** "YYYY-MM-DD HH:MM:SS", what xAI's analytics time range takes. */
function analyticsTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

async function usage(
  client: XaiClient,
  window: { since: Date; until: Date },
  signal?: AbortSignal,
): Promise<UsageRow[]> {
  const result = await client.getUsage(
    {
      analyticsRequest: {
        timeRange: {
          startTime: analyticsTime(window.since),
          endTime: analyticsTime(window.until),
          timezone: "Etc/GMT",
        },
        timeUnit: "TIME_UNIT_DAY",
        values: [{ name: "usd", aggregation: "AGGREGATION_SUM" }],
        groupBy: ["description"],
        filters: [],
      },
    },
    { signal },
  );
  const rows: UsageRow[] = [];
  for (const series of result.timeSeries ?? []) {
    const model = series.group?.[0] || series.groupLabels?.[0] || "(all models)";
    for (const point of series.dataPoints ?? []) {
      const value = point.values?.[0];
      // A protobuf double JSON cannot hold arrives as "NaN", "Infinity" or "-Infinity": no amount.
      if (typeof value !== "number" || !point.timestamp) continue;
      // The adapter asks for the analytics value named "usd": dollars, whatever the schema.
      const micros = parseMoney(value, "usd");
      if (micros !== 0n)
        rows.push({
          provider: "xai",
          day: point.timestamp.slice(0, 10),
          model,
          currency: "USD",
          micros,
        });
    }
  }
  return rows;
}

export const xai: LedgerAdapter<XaiClient> = {
  name: "xai",
  displayName: "xAI",
  sources: {
    balance: "the prepaid credit of getPrepaidBalance (its debt-side sign flipped)",
    usage: "getUsage grouped by line description and day",
  },
  serviceName: "xAI API",
  env: {
    apiKey: "XAI_MANAGEMENT_KEY",
    baseUrl: "XAI_MANAGEMENT_BASE_URL",
    options: { teamId: "XAI_TEAM_ID" },
  },
  createClient: (options) => createXaiClient(options),
  entries,
  async balance(client, signal) {
    const { total } = await client.getPrepaidBalance({}, { signal });
    return [{ currency: "USD", micros: -parseMoney(total, UNITS.total) }];
  },
  usage,
  billingAccount: (entry) => recordText(entry, "teamId"),
  chargePeriod,
  // Purchases name the prepaid invoice that billed them, monthly invoices are their own; the
  // invoice number stays in the entry's reference.
  invoiceId: (entry) => recordText(entry, "invoiceId"),
  // The prepaid total is the sum of its changes (invoices are postpaid, apart); MANUAL changes
  // are xAI staff's adjustments.
  reconcile: {
    balanceIsSumOf: ["topup", "usage", "refund", "credit", "debit"],
    adjustmentKinds: ["credit", "debit"],
  },
};
