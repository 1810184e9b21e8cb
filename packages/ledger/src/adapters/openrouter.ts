import {
  createOpenRouterClient,
  type OpenRouterClient,
  operationTable,
} from "@spendkit/openrouter";
import { bucketId, optionalText, reportCount } from "../buckets.js";
import { formatMicros, moneyUnit, parseDecimal, parseMoney } from "../money.js";
import { amountOf, bookEach, RecordError } from "../records.js";
import { utcDay } from "../time.js";
import type { AdapterContext, LedgerAdapter, LedgerEntry, UsageRow } from "../types.js";

type ActivityRow = Awaited<ReturnType<OpenRouterClient["getActivity"]>>["data"][number];

/** The units the spec gives the amounts this adapter reads: US dollars as JSON numbers. */
const UNITS = {
  credits: moneyUnit(operationTable.getCredits, "/data/total_credits"),
  used: moneyUnit(operationTable.getCredits, "/data/total_usage"),
  activity: moneyUnit(operationTable.getActivity, "/data/*/usage"),
};

/** OpenRouter answers for its last 30 completed UTC days; older activity is gone. */
const RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The activity (`getActivity`, one answer for the whole retained window: it has no pagination),
 * booked as `usage` entries, one per day, model and endpoint, in time order, restricted to the
 * window. Rows are untrusted: a day that is not complete yet (today, the future: its sum would
 * still change under a stable id), a repeated row, or a bad amount is a warning and skipped,
 * never booked twice. A completed day older than the 30 OpenRouter keeps is booked like the
 * others: it is a fact the provider reports, and its id makes a second reading harmless.
 */
async function* entries(client: OpenRouterClient, context: AdapterContext) {
  const booked = await activityEntries(client, context);
  const since = context.window.since?.toISOString() ?? "";
  const until = context.window.until.toISOString();
  const inWindow = booked.filter((entry) => entry.time >= since && entry.time < until);
  context.reportTotal?.(inWindow.length);
  if (inWindow.length) yield inWindow;
}

/** Every activity row booked, sorted by time then id, repeats dropped with a warning. */
async function activityEntries(
  client: OpenRouterClient,
  context: Pick<AdapterContext, "warn"> & { signal?: AbortSignal | undefined },
): Promise<LedgerEntry[]> {
  const { data } = await client.getActivity({}, { signal: context.signal });
  const lastComplete = lastCompleteDay(new Date());
  const entries = bookEach(
    Array.isArray(data) ? data : [],
    (row) => activityEntry(row, lastComplete),
    context,
    (row) => `the activity row of ${String(row.date).slice(0, 10)}`,
  );
  // The first row of each id is kept, in the order the answer lists them; then time order.
  const kept = new Map<string, LedgerEntry>();
  for (const entry of entries) {
    const first = kept.get(entry.id);
    if (!first) {
      kept.set(entry.id, entry);
      continue;
    }
    context.warn(
      `activity row ${entry.id} is listed more than once; the first is kept${first.amount === entry.amount ? "" : ` (${first.amount}, not ${entry.amount})`}`,
    );
  }
  return [...kept.values()].sort(
    (a, b) =>
      (a.time < b.time ? -1 : a.time > b.time ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The last completed UTC day at `now` (`YYYY-MM-DD`): yesterday. */
export function lastCompleteDay(now: Date): string {
  return utcDay(new Date(Date.parse(utcDay(now)) - DAY_MS));
}

/**
 * One activity row as a ledger entry (spend negative) whose id is its day, model and endpoint
 * (and workspace), so that reading the day again finds the same entry. `lastComplete` is the
 * last completed UTC day: a later one is refused.
 */
export function activityEntry(row: ActivityRow, lastComplete: string): LedgerEntry {
  const day = typeof row.date === "string" ? row.date : "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || utcDay(new Date(Date.parse(day) || 0)) !== day) {
    throw new RecordError("date is not a UTC day (YYYY-MM-DD)");
  }
  if (day > lastComplete) {
    throw new RecordError(
      `${day} is not a completed UTC day yet (the last is ${lastComplete}): OpenRouter reports completed days only`,
    );
  }
  const model = optionalText(row.model);
  const permaslug = optionalText(row.model_permaslug);
  const endpoint = optionalText(row.endpoint_id);
  const workspace = optionalText(row.workspace_id);
  if (!model || !endpoint) throw new RecordError("model or endpoint_id is missing");
  const micros = amountOf("usage", () => parseMoney(row.usage, UNITS.activity));
  const time = `${day}T00:00:00.000Z`;
  const provider = optionalText(row.provider_name);
  const entry: LedgerEntry = {
    provider: "openrouter",
    id: bucketId(time, [permaslug ?? model, endpoint, workspace]),
    time,
    kind: "usage",
    amount: formatMicros(-micros),
    currency: "USD",
    model,
    description: provider ? `${permaslug ?? model} via ${provider}` : (permaslug ?? model),
    reference: endpoint,
    raw: row,
  };
  if (workspace) entry.project = workspace;
  return entry;
}

/** Spend, requests and tokens (prompt + completion) per day and model, from the activity. */
async function usage(
  client: OpenRouterClient,
  window: { since: Date; until: Date },
  signal?: AbortSignal,
): Promise<UsageRow[]> {
  const rows = new Map<string, UsageRow>();
  // Rows that cannot be booked are left out here as in the ledger, which is where they are
  // reported (usage has no warning channel).
  const warn = () => {};
  for (const entry of await activityEntries(client, { warn, signal })) {
    if (entry.time < window.since.toISOString() || entry.time >= window.until.toISOString()) {
      continue;
    }
    const row = entry.raw as ActivityRow;
    const day = entry.time.slice(0, 10);
    const key = `${day}\u0000${entry.model}`;
    const sum = rows.get(key) ?? {
      provider: "openrouter",
      day,
      model: entry.model!,
      currency: "USD",
      micros: 0n,
      requests: 0,
      tokens: 0,
    };
    sum.micros -= parseDecimal(entry.amount);
    sum.requests = (sum.requests ?? 0) + reportCount(row.requests);
    sum.tokens =
      (sum.tokens ?? 0) + reportCount(row.prompt_tokens) + reportCount(row.completion_tokens);
    rows.set(key, sum);
  }
  return [...rows.values()];
}

export const openrouter: LedgerAdapter<OpenRouterClient> = {
  name: "openrouter",
  displayName: "OpenRouter",
  sources: {
    balance: "getCredits (total_credits − total_usage)",
    usage: "getActivity per day and model (its last 30 completed days)",
  },
  serviceName: "OpenRouter",
  env: { apiKey: "OPENROUTER_MANAGEMENT_KEY", baseUrl: "OPENROUTER_MANAGEMENT_BASE_URL" },
  createClient: (options) => createOpenRouterClient(options),
  defaultHistoryDays: RETENTION_DAYS,
  retentionDays: RETENTION_DAYS,
  entries,
  async balance(client, signal) {
    const { data } = await client.getCredits({}, { signal });
    const bought = amountOf("total_credits", () => parseMoney(data.total_credits, UNITS.credits));
    const used = amountOf("total_usage", () => parseMoney(data.total_usage, UNITS.used));
    return [{ currency: "USD", micros: bought - used }];
  },
  usage,
};
