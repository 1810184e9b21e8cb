import { NotFoundError } from "@spendkit/core";
import { createWaveSpeedClient, type WaveSpeedClient } from "@spendkit/wavespeed";
import { mergeSorted } from "../merge.js";
import { formatMicros, formatUsd, parseUsd } from "../money.js";
import { chunkWindow, compareEntries, isoTime, utcDay } from "../time.js";
import type {
  AdapterContext,
  LedgerEntry,
  LedgerKind,
  ProviderAdapter,
  UsageRow,
} from "../types.js";

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

/** Records per batch: the page size. */
const BATCH = 100;

async function* searchEntries(client: WaveSpeedClient, context: AdapterContext) {
  const { window, signal } = context;
  const records = client.searchBillings.all(
    {
      page: 1,
      page_size: 100,
      sort: "created_at ASC",
      end_time: String(window.until.getTime()),
      ...(window.since ? { start_time: String(window.since.getTime()) } : {}),
    },
    { signal },
  );
  let batch: LedgerEntry[] = [];
  for await (const record of records) {
    const entry = searchEntry(record, context);
    if (entry) batch.push(entry);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* bufferedTopups(topups: Promise<LedgerEntry[]>) {
  yield await topups;
}

export function searchEntry(
  record: BillingRecord,
  context: Pick<AdapterContext, "warn">,
): LedgerEntry | undefined {
  const mapping = SEARCH_KINDS[record.billing_type];
  const time = isoTime(record.created_at);
  if (!mapping || !time) {
    context.warn(
      `billing ${record.uuid} skipped: ${mapping ? `bad created_at ${JSON.stringify(record.created_at)}` : `unknown billing_type ${JSON.stringify(record.billing_type)}`}`,
    );
    return undefined;
  }
  const price = parseUsd(record.price);
  const entry: LedgerEntry = {
    provider: "wavespeed",
    id: record.uuid,
    time,
    kind: mapping.kind,
    amount: formatMicros(mapping.sign * (price < 0n ? -price : price)),
    currency: "USD",
    raw: record,
  };
  if (record.prediction?.model_uuid) entry.model = record.prediction.model_uuid;
  if (record.prediction?.uuid) entry.reference = record.prediction.uuid;
  if (mapping.kind === "refund") entry.description = "refund";
  return entry;
}

async function loadTopups(
  client: WaveSpeedClient,
  context: AdapterContext,
): Promise<LedgerEntry[]> {
  const { window, signal } = context;
  const query = {
    page: 1,
    page_size: 100,
    type: "topup" as const,
    // Whole days, `end_date` inclusive; the ledger trims to the exact window.
    end_date: utcDay(window.until),
    ...(window.since ? { start_date: utcDay(window.since) } : {}),
  };
  const found: LedgerEntry[] = [];
  try {
    for await (const row of client.listAccountBillings.all(query, { signal })) {
      const entry = topupEntry(row, context);
      if (entry) found.push(entry);
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    context.warn(
      "listAccountBillings answered 404 (the endpoint is deprecated): top-ups are missing from this export",
    );
  }
  return found.sort(compareEntries);
}

export function topupEntry(
  row: AccountBilling,
  context: Pick<AdapterContext, "warn">,
): LedgerEntry | undefined {
  // Usage rows duplicate searchBillings' deductions: never booked from here.
  if (row.type !== "topup") return undefined;
  if (UNSETTLED.has(String(row.status).toLowerCase())) return undefined;
  const time = isoTime(row.created_at);
  if (!time || (row.currency ?? "USD").toUpperCase() !== "USD") {
    context.warn(
      `top-up ${row.id} skipped: ${time ? `currency ${JSON.stringify(row.currency)} is not USD` : `bad created_at ${JSON.stringify(row.created_at)}`}`,
    );
    return undefined;
  }
  const entry: LedgerEntry = {
    provider: "wavespeed",
    id: row.id,
    time,
    kind: "topup",
    amount: formatUsd(row.amount),
    currency: "USD",
    raw: row,
  };
  entry.description = row.payment_method ? `top-up via ${row.payment_method}` : "top-up";
  return entry;
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
        const micros = parseUsd(day.amount);
        if (micros !== 0n) {
          rows.push({
            provider: "wavespeed",
            day: day.date,
            model: "(all models)",
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
          micros: parseUsd(model.amount),
          requests: model.count,
        });
      }
    }
  }
  return rows;
}

export const wavespeed: ProviderAdapter<WaveSpeedClient> = {
  name: "wavespeed",
  displayName: "WaveSpeedAI",
  serviceName: "WaveSpeedAI",
  env: { apiKey: "WAVESPEED_API_KEY", baseUrl: "WAVESPEED_BASE_URL" },
  createClient: (options) => createWaveSpeedClient(options),
  entries,
  async balance(client, signal) {
    const { balance } = await client.getBalance({}, { signal });
    return parseUsd(balance);
  },
  usage,
  // No running balance per record: the balance is top-ups − spend + refunds, over all time.
  reconcile: { balanceIsSumOf: ["topup", "usage", "refund"] },
};
