import { NotFoundError } from "@spendkit/core";
import { createWaveSpeedClient, operationTable, type WaveSpeedClient } from "@spendkit/wavespeed";
import { lookup } from "../lookup.js";
import { mergeSorted } from "../merge.js";
import { describeValue, formatMicros, formatMoney, moneyUnit, parseMoney } from "../money.js";
import { amountOf, bookEach, bookingTime, labelOf, RecordError, recordId } from "../records.js";
import { chunkWindow, compareEntries, utcDay } from "../time.js";
import type { AdapterContext, LedgerAdapter, LedgerEntry, LedgerKind, UsageRow } from "../types.js";

type BillingRecord = Awaited<ReturnType<WaveSpeedClient["searchBillings"]>>["items"][number];
type AccountBilling = Awaited<ReturnType<WaveSpeedClient["listAccountBillings"]>>["items"][number];

/**
 * `searchBillings` record types → ledger kind and sign. `price` is unsigned; the type says which
 * way the money went. Other types are not booked (reported as warnings): in particular a top-up
 * showing up here would otherwise be counted twice.
 */
const SEARCH_KINDS: Record<string, { kind: LedgerKind; sign: 1n | -1n }> = {
  deduct: { kind: "usage", sign: -1n },
  refund: { kind: "refund", sign: 1n },
};

/** The units the spec gives the amounts this adapter reads. */
const UNITS = {
  price: moneyUnit(operationTable.searchBillings, "/items/*/price"),
  topup: moneyUnit(operationTable.listAccountBillings, "/items/*/amount"),
  balance: moneyUnit(operationTable.getBalance, "/balance"),
  day: moneyUnit(operationTable.getUsageStats, "/daily_usage/*/amount"),
  model: moneyUnit(operationTable.getUsageStats, "/daily_usage/*/models/*/amount"),
};

/** Statuses of a top-up that did not (or not yet) move money. */
const UNSETTLED = new Set(["pending", "processing", "failed", "canceled", "cancelled", "expired"]);

/** The usage endpoint's longest window. */
const USAGE_MAX_DAYS = 31;

/**
 * Spend and refunds from `searchBillings` (sorted `created_at ASC` by the server, streamed page by
 * page), merged with the top-ups of `listAccountBillings`. That endpoint's order is undocumented,
 * so its top-ups are buffered and sorted: the one bounded exception to streaming, acceptable
 * because an account has few top-ups. Its `usage` rows are the same charges as the search's
 * deductions and are never booked.
 */
async function* entries(client: WaveSpeedClient, context: AdapterContext) {
  const topups = loadTopups(client, context);
  topups.catch(() => {}); // surfaced below, once the merge needs it
  yield* mergeSorted(
    [
      { name: "searchBillings", batches: searchEntries(client, context) },
      { name: "listAccountBillings", batches: bufferedTopups(topups) },
    ],
    compareEntries,
  );
}

async function* searchEntries(client: WaveSpeedClient, context: AdapterContext) {
  const { window, signal } = context;
  // Both bounds as epoch milliseconds, the form the API reference documents and the one form
  // the pinned window end takes (the spec's `end_time` says why), though `start_time` also
  // takes RFC 3339.
  const pages = client.searchBillings.pages(
    {
      sort: "created_at ASC",
      end_time: String(window.until.getTime()),
      ...(window.since ? { start_time: String(window.since.getTime()) } : {}),
    },
    { signal, onTotal: context.reportTotal },
  );
  for await (const page of pages) {
    yield bookEach(page, searchEntry, context, (record) => labelOf("billing", record.uuid));
  }
}

async function* bufferedTopups(topups: Promise<LedgerEntry[]>) {
  yield await topups;
}

/** A search record as a ledger entry; throws a RecordError when it cannot be booked. */
export function searchEntry(record: BillingRecord): LedgerEntry {
  const id = recordId(record.uuid, "uuid");
  const mapping = lookup(SEARCH_KINDS, record.billing_type);
  if (!mapping) {
    throw new RecordError(`unknown billing_type ${describeValue(record.billing_type)}`);
  }
  const time = bookingTime(record.created_at, "created_at");
  const price = amountOf("price", () => parseMoney(record.price, UNITS.price));
  const entry: LedgerEntry = {
    provider: "wavespeed",
    id,
    time,
    kind: mapping.kind,
    amount: formatMicros(mapping.sign * (price < 0n ? -price : price)),
    currency: "USD",
    raw: record,
  };
  const prediction = record.prediction;
  if (typeof prediction?.model_uuid === "string" && prediction.model_uuid) {
    entry.model = prediction.model_uuid;
  }
  if (typeof prediction?.uuid === "string" && prediction.uuid) entry.reference = prediction.uuid;
  if (mapping.kind === "refund") entry.description = "refund";
  return entry;
}

async function loadTopups(
  client: WaveSpeedClient,
  context: AdapterContext,
): Promise<LedgerEntry[]> {
  const { window, signal } = context;
  const query = {
    type: "topup" as const,
    // Whole days, `end_date` inclusive; the ledger trims to the exact window.
    end_date: utcDay(window.until),
    ...(window.since ? { start_date: utcDay(window.since) } : {}),
  };
  const found: LedgerEntry[] = [];
  try {
    for await (const page of client.listAccountBillings.pages(query, { signal })) {
      found.push(...bookEach(page, topupEntry, context, (row) => labelOf("top-up", row.id)));
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    context.warn(
      "listAccountBillings answered 404 (the endpoint is deprecated): top-ups are missing from this export",
    );
  }
  return found.sort(compareEntries);
}

/** An account billing row as a top-up entry; undefined for rows that move no money from here. */
export function topupEntry(row: AccountBilling): LedgerEntry | undefined {
  // Usage rows duplicate searchBillings' deductions: never booked from here.
  if (row.type !== "topup") return undefined;
  if (UNSETTLED.has(String(row.status).toLowerCase())) return undefined;
  const id = recordId(row.id);
  const time = bookingTime(row.created_at, "created_at");
  const currency = row.currency ?? "USD";
  if (typeof currency !== "string" || currency.toUpperCase() !== "USD") {
    throw new RecordError(`currency ${describeValue(currency)} is not USD`);
  }
  const method = typeof row.payment_method === "string" ? row.payment_method : undefined;
  return {
    provider: "wavespeed",
    id,
    time,
    kind: "topup",
    amount: amountOf("amount", () => formatMoney(row.amount, UNITS.topup)),
    currency: "USD",
    description: method ? `top-up via ${method}` : "top-up",
    raw: row,
  };
}

async function usage(
  client: WaveSpeedClient,
  window: { since: Date; until: Date },
  signal?: AbortSignal,
): Promise<UsageRow[]> {
  const rows: UsageRow[] = [];
  for (const chunk of chunkWindow(window.since, window.until, USAGE_MAX_DAYS)) {
    const stats = await client.getUsageStats(
      { start_time: chunk.since.toISOString(), end_time: chunk.until.toISOString() },
      { signal },
    );
    for (const day of stats.daily_usage) {
      const models = day.models ?? [];
      if (models.length === 0) {
        const micros = parseMoney(day.amount, UNITS.day);
        if (micros !== 0n) {
          rows.push({
            provider: "wavespeed",
            day: day.date,
            model: "(all models)",
            currency: "USD",
            micros,
            requests: day.count,
          });
        }
        continue;
      }
      for (const model of models) {
        rows.push({
          provider: "wavespeed",
          day: day.date,
          model: model.model_uuid,
          currency: "USD",
          micros: parseMoney(model.amount, UNITS.model),
          requests: model.count,
        });
      }
    }
  }
  return rows;
}

export const wavespeed: LedgerAdapter<WaveSpeedClient> = {
  name: "wavespeed",
  displayName: "WaveSpeedAI",
  sources: { balance: "getBalance", usage: "getUsageStats, per day and model" },
  serviceName: "WaveSpeedAI",
  env: { apiKey: "WAVESPEED_API_KEY", baseUrl: "WAVESPEED_BASE_URL" },
  createClient: (options) => createWaveSpeedClient(options),
  entries,
  async balance(client, signal) {
    const { balance } = await client.getBalance({}, { signal });
    return [{ currency: "USD", micros: parseMoney(balance, UNITS.balance) }];
  },
  usage,
  // No running balance per record: the balance is top-ups − spend + refunds, over all time.
  reconcile: { balanceIsSumOf: ["topup", "usage", "refund"] },
};
