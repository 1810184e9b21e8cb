import { type AnthropicClient, createAnthropicClient, operationTable } from "@spendkit/anthropic";
import {
  bookBuckets,
  bucketId,
  optionalText,
  reportCount,
  reportStart,
  UsageByDay,
} from "../buckets.js";
import { currencyCode } from "../currency.js";
import { formatMicros, moneyUnit, parseMoney } from "../money.js";
import { amountOf, bookingTime } from "../records.js";
import { dayStart } from "../time.js";
import type { AdapterContext, LedgerAdapter, LedgerEntry, UsageRow } from "../types.js";

type CostBucket = Awaited<ReturnType<AnthropicClient["getCostReport"]>>["data"][number];
type CostItem = CostBucket["results"][number];

/** The units the spec gives the amounts this adapter reads: cents, as decimal strings. */
const UNITS = {
  cost: moneyUnit(operationTable.getCostReport, "/data/*/results/*/amount"),
};

/** Days read back when a window has no start: the cost report keeps no "whole history". */
const DEFAULT_HISTORY_DAYS = 90;
/** The messages usage report answers at most 31 daily buckets a page. */
const USAGE_DAYS_PER_PAGE = 31;
/**
 * The workspace of results whose `workspace_id` is null: the organisation's default workspace,
 * which has no id.
 */
export const DEFAULT_WORKSPACE = "default";

/** A report window in whole UTC days (buckets are UTC days). */
function reportWindow(since: Date, until: Date) {
  return { starting_at: dayStart(since).toISOString(), ending_at: until.toISOString() };
}

/**
 * The cost report (`getCostReport`) grouped by workspace and description (the grouping that
 * fills the model, cost and token types), one daily bucket after another; each result is a
 * `usage` entry (spend negative) whose id is its bucket and grouping keys, so today's bucket,
 * which fills during the day, is updated when read again.
 */
async function* entries(client: AnthropicClient, context: AdapterContext) {
  const { window, signal } = context;
  const since = reportStart(window, DEFAULT_HISTORY_DAYS);
  for await (const page of client.getCostReport.pages(
    {
      ...reportWindow(since, window.until),
      bucket_width: "1d",
      group_by: ["workspace_id", "description"],
    },
    { signal },
  )) {
    yield bookBuckets(page, costEntry, context, (bucket) =>
      String(bucket.starting_at).slice(0, 40),
    );
  }
}

/** One cost result as a ledger entry; throws a RecordError when it cannot be booked. */
export function costEntry(bucket: Pick<CostBucket, "starting_at">, item: CostItem): LedgerEntry {
  const time = bookingTime(bucket.starting_at, "starting_at");
  const currency = currencyCode(item.currency);
  // Cents, with fractions: the unit says so, and the parser divides (never a hand-written / 100).
  const micros = amountOf("amount", () => parseMoney(item.amount, UNITS.cost));
  const project = optionalText(item.workspace_id) ?? DEFAULT_WORKSPACE;
  const description = optionalText(item.description);
  const model = optionalText(item.model);
  const dimensions = [
    item.cost_type,
    item.token_type,
    item.service_tier,
    item.context_window,
    item.inference_geo,
  ].map(optionalText);
  const entry: LedgerEntry = {
    provider: "anthropic",
    id: bucketId(time, [project, description, model, ...dimensions]),
    time,
    kind: "usage",
    amount: formatMicros(-micros),
    currency,
    project,
    raw: item,
  };
  if (description) entry.description = description;
  if (model) entry.model = model;
  return entry;
}

/**
 * Spend per day and model from the cost report (grouped by description, which names the
 * model), with the tokens of the messages usage report (grouped by model) of the same day.
 */
async function usage(
  client: AnthropicClient,
  window: { since: Date; until: Date },
  signal?: AbortSignal,
): Promise<UsageRow[]> {
  const rows = new UsageByDay("anthropic", "USD");
  for await (const page of client.getCostReport.pages(
    { ...reportWindow(window.since, window.until), bucket_width: "1d", group_by: ["description"] },
    { signal },
  )) {
    for (const bucket of page) {
      const day = bookingTime(bucket.starting_at, "starting_at").slice(0, 10);
      for (const item of bucket.results ?? []) {
        const currency = currencyCode(item.currency);
        rows.at(day, optionalText(item.model) ?? "(other)", currency).micros += parseMoney(
          item.amount,
          UNITS.cost,
        );
      }
    }
  }
  for await (const page of client.getMessagesUsageReport.pages(
    {
      ...reportWindow(window.since, window.until),
      bucket_width: "1d",
      group_by: ["model"],
      limit: USAGE_DAYS_PER_PAGE,
    },
    { signal },
  )) {
    for (const bucket of page) {
      const day = bookingTime(bucket.starting_at, "starting_at").slice(0, 10);
      for (const item of bucket.results ?? []) {
        const tokens =
          reportCount(item.uncached_input_tokens) +
          reportCount(item.cache_read_input_tokens) +
          reportCount(item.cache_creation?.ephemeral_1h_input_tokens) +
          reportCount(item.cache_creation?.ephemeral_5m_input_tokens) +
          reportCount(item.output_tokens);
        rows.count(day, optionalText(item.model) ?? "(all models)", tokens);
      }
    }
  }
  return rows.rows();
}

export const anthropic: LedgerAdapter<AnthropicClient> = {
  name: "anthropic",
  displayName: "Anthropic",
  sources: {
    balance: "none: the Admin API reports costs, not a balance",
    usage: "getCostReport by description, with getMessagesUsageReport's tokens by model",
  },
  serviceName: "Claude API",
  subAccountType: "Workspace",
  env: { apiKey: "ANTHROPIC_ADMIN_KEY", baseUrl: "ANTHROPIC_ADMIN_BASE_URL" },
  createClient: (options) => createAnthropicClient(options),
  defaultHistoryDays: DEFAULT_HISTORY_DAYS,
  openBucketHours: 24,
  entries,
  usage,
};
