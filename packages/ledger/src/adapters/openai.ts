import { createOpenAIClient, type OpenAIClient, operationTable } from "@spendkit/openai";
import {
  bookBuckets,
  bucketId,
  optionalText,
  reportCount,
  reportStart,
  UsageByDay,
  unixSecondsTime,
} from "../buckets.js";
import { currencyCode } from "../currency.js";
import { formatMicros, moneyUnit, parseMoney } from "../money.js";
import { amountOf } from "../records.js";
import { dayStart, utcDay } from "../time.js";
import type { AdapterContext, LedgerAdapter, LedgerEntry, UsageRow } from "../types.js";

type CostsBucket = Awaited<ReturnType<OpenAIClient["getCosts"]>>["data"][number];
type CostsResult = CostsBucket["results"][number];

/** The units the spec gives the amounts this adapter reads. */
const UNITS = {
  cost: moneyUnit(operationTable.getCosts, "/data/*/results/*/amount/value"),
};

/** Days read back when a window has no start: the costs endpoint keeps no "whole history". */
const DEFAULT_HISTORY_DAYS = 90;
/** Completions usage answers at most 31 daily buckets a page. */
const USAGE_DAYS_PER_PAGE = 31;

/** The groupings that fill an entry's attribution: project, key, and the line item (model). */
const GROUP_BY = ["project_id", "api_key_id", "line_item"] as const;

/** A costs window in whole UTC days, as Unix seconds (buckets are UTC days). */
function costsWindow(since: Date, until: Date) {
  return {
    start_time: Math.floor(dayStart(since).getTime() / 1000),
    end_time: Math.ceil(until.getTime() / 1000),
  };
}

/**
 * The organisation's costs (`getCosts`), one daily bucket per project, key and line item, oldest
 * first; each result is a `usage` entry (spend negative) whose id is its bucket and grouping keys,
 * so today's bucket, which fills during the day, is updated when read again.
 */
async function* entries(client: OpenAIClient, context: AdapterContext) {
  const { window, signal } = context;
  const since = reportStart(window, DEFAULT_HISTORY_DAYS);
  for await (const page of client.getCosts.pages(
    { ...costsWindow(since, window.until), bucket_width: "1d", group_by: [...GROUP_BY] },
    { signal },
  )) {
    yield bookBuckets(page, costEntry, context, (bucket) => String(bucket.start_time));
  }
}

/** One cost result as a ledger entry; throws a RecordError when it cannot be booked. */
export function costEntry(
  bucket: Pick<CostsBucket, "start_time">,
  result: CostsResult,
): LedgerEntry | undefined {
  const time = unixSecondsTime(bucket.start_time, "start_time");
  const amount = result.amount;
  // A result without an amount (the schema requires only `object`) costs nothing.
  if (amount === undefined || amount === null) return undefined;
  const currency = currencyCode(amount.currency);
  const micros = amountOf("amount.value", () => parseMoney(amount.value, UNITS.cost));
  const lineItem = optionalText(result.line_item);
  const project = optionalText(result.project_id);
  const apiKey = optionalText(result.api_key_id);
  const entry: LedgerEntry = {
    provider: "openai",
    id: bucketId(time, [project, apiKey, lineItem]),
    time,
    kind: "usage",
    amount: formatMicros(-micros),
    currency,
    raw: result,
  };
  if (lineItem) {
    entry.description = lineItem;
    const model = modelOf(lineItem);
    if (model) entry.model = model;
  }
  if (project) entry.project = project;
  if (apiKey) entry.apiKey = apiKey;
  return entry;
}

/**
 * The model a line item names, where it names one: line items of model usage read
 * "<model>, <what>" ("gpt-4o-2024-08-06, input"). Others ("Text tokens", "web search") name none.
 */
export function modelOf(lineItem: string): string | undefined {
  const match = /^([A-Za-z0-9][\w.:/-]*), \S/.exec(lineItem);
  return match?.[1];
}

/**
 * Spend per day and model from the costs (grouped by line item), with the tokens and requests of
 * the completions usage (grouped by model) of the same day and model.
 */
async function usage(
  client: OpenAIClient,
  window: { since: Date; until: Date },
  signal?: AbortSignal,
): Promise<UsageRow[]> {
  const rows = new UsageByDay("openai", "USD");
  for await (const page of client.getCosts.pages(
    { ...costsWindow(window.since, window.until), bucket_width: "1d", group_by: ["line_item"] },
    { signal },
  )) {
    for (const bucket of page) {
      for (const result of bucket.results ?? []) {
        if (!result.amount) continue;
        const day = utcDay(new Date(unixSecondsTime(bucket.start_time, "start_time")));
        const currency = currencyCode(result.amount.currency);
        const lineItem = optionalText(result.line_item);
        rows.at(day, (lineItem && modelOf(lineItem)) ?? "(other)", currency).micros += parseMoney(
          result.amount.value,
          UNITS.cost,
        );
      }
    }
  }
  for await (const page of client.getCompletionsUsage.pages(
    {
      ...costsWindow(window.since, window.until),
      bucket_width: "1d",
      group_by: ["model"],
      limit: USAGE_DAYS_PER_PAGE,
    },
    { signal },
  )) {
    for (const bucket of page) {
      for (const result of bucket.results ?? []) {
        const day = utcDay(new Date(unixSecondsTime(bucket.start_time, "start_time")));
        // input_tokens already includes cached and cache-write tokens.
        rows.count(
          day,
          optionalText(result.model) ?? "(all models)",
          reportCount(result.input_tokens) + reportCount(result.output_tokens),
          reportCount(result.num_model_requests),
        );
      }
    }
  }
  return rows.rows();
}

export const openai: LedgerAdapter<OpenAIClient> = {
  name: "openai",
  displayName: "OpenAI",
  sources: {
    balance: "none: the organisation API reports costs, not a balance",
    usage: "getCosts by line item, with getCompletionsUsage's tokens by model",
  },
  serviceName: "OpenAI API",
  subAccountType: "Project",
  env: { apiKey: "OPENAI_ADMIN_KEY", baseUrl: "OPENAI_ADMIN_BASE_URL" },
  createClient: (options) => createOpenAIClient(options),
  defaultHistoryDays: DEFAULT_HISTORY_DAYS,
  openBucketHours: 24,
  entries,
  usage,
};
