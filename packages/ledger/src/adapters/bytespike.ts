import { type ByteSpikeClient, createByteSpikeClient, operationTable } from "@spendkit/bytespike";
import { lookup } from "../lookup.js";
import { describeValue, formatMoney, moneyUnit, parseMoney } from "../money.js";
import { amountOf, bookEach, bookingTime, labelOf, RecordError, recordId } from "../records.js";
import { chunkWindow } from "../time.js";
import type { AdapterContext, LedgerAdapter, LedgerEntry, LedgerKind, UsageRow } from "../types.js";

type Transaction = Awaited<ReturnType<ByteSpikeClient["listTransactions"]>>["items"][number];

/** ByteSpike's transaction kinds → ledger kinds. `amount_usd` is already signed (credit +). */
const KINDS: Record<string, LedgerKind> = {
  topup: "topup",
  refund: "refund",
  admin_credit: "credit",
  admin_debit: "debit",
  subscription_renew: "subscription",
};

/** The units the spec gives the amounts this adapter reads. */
const UNITS = {
  amount: moneyUnit(operationTable.listTransactions, "/items/*/amount_usd"),
  balanceAfter: moneyUnit(operationTable.listTransactions, "/items/*/balance_after_usd"),
  usage: moneyUnit(operationTable.getUsage, "/buckets/*/total_usd"),
  balance: moneyUnit(operationTable.getAccount, "/balance/available_usd"),
};

/** Pages requested ahead of the one being read. */
const PREFETCH = 3;
/** The usage endpoint's longest window. */
const USAGE_MAX_DAYS = 90;

/**
 * Every `listTransactions` row, oldest first. The endpoint is newest-first with no sort option,
 * so the walk pins `until` (the window end, fixed when the export started) and goes from the
 * last page to the first (core's `pagesReversed`). Yields one batch of entries per page.
 */
async function* entries(client: ByteSpikeClient, context: AdapterContext) {
  const { window, signal } = context;
  const query = {
    until: window.until.toISOString(),
    ...(window.since ? { since: window.since.toISOString() } : {}),
  };
  for await (const page of client.listTransactions.pagesReversed(query, {
    signal,
    concurrency: PREFETCH,
    onTotal: context.reportTotal,
  })) {
    yield bookEach(page, toEntry, context, (tx) => labelOf("transaction", tx.id));
  }
}

/** One transaction as a ledger entry; throws a RecordError when it cannot be booked. */
export function toEntry(tx: Transaction): LedgerEntry {
  const id = recordId(tx.id);
  const kind = lookup(KINDS, tx.kind);
  if (!kind) throw new RecordError(`unknown kind ${describeValue(tx.kind)}`);
  const time = bookingTime(tx.created_at, "created_at");
  const source = (isObject(tx.source) ? tx.source : {}) as {
    provider?: unknown;
    receipt_id?: unknown;
    method?: unknown;
    actor?: unknown;
  };
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const [provider, method, actor] = [
    text(source.provider),
    text(source.method),
    text(source.actor),
  ];
  const description =
    text(tx.note) ??
    (actor ? `by ${actor}` : provider ? (method ? `${provider} ${method}` : provider) : undefined);
  const entry: LedgerEntry = {
    provider: "bytespike",
    id,
    time,
    kind,
    amount: amountOf("amount_usd", () => formatMoney(tx.amount_usd, UNITS.amount)),
    currency: "USD",
    raw: tx,
  };
  if (tx.balance_after_usd !== undefined && tx.balance_after_usd !== null) {
    entry.balanceAfter = amountOf("balance_after_usd", () =>
      formatMoney(tx.balance_after_usd, UNITS.balanceAfter),
    );
  }
  if (description) entry.description = description;
  const receipt = text(source.receipt_id);
  if (receipt) entry.reference = receipt;
  return entry;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

async function usage(
  client: ByteSpikeClient,
  window: { since: Date; until: Date },
  signal?: AbortSignal,
): Promise<UsageRow[]> {
  const rows: UsageRow[] = [];
  for (const chunk of chunkWindow(window.since, window.until, USAGE_MAX_DAYS)) {
    const result = await client.getUsage(
      { since: chunk.since.toISOString(), until: chunk.until.toISOString(), group_by: "day,model" },
      { signal },
    );
    for (const bucket of result.buckets) {
      rows.push({
        provider: "bytespike",
        day: bucket.bucket.slice(0, 10),
        model: bucket.model ?? "(all models)",
        currency: "USD",
        micros: parseMoney(bucket.total_usd, UNITS.usage),
        requests: bucket.call_count,
      });
    }
  }
  return rows;
}

export const bytespike: LedgerAdapter<ByteSpikeClient> = {
  name: "bytespike",
  displayName: "ByteSpike",
  sources: {
    balance: "getAccount (balance.available_usd)",
    usage: "getUsage grouped by day and model",
  },
  serviceName: "ByteSpike LLM API",
  env: { apiKey: "BYTESPIKE_API_KEY", baseUrl: "BYTESPIKE_BASE_URL" },
  createClient: (options) => createByteSpikeClient(options),
  entries,
  async balance(client, signal) {
    const account = await client.getAccount({}, { signal });
    return [{ currency: "USD", micros: parseMoney(account.balance.available_usd, UNITS.balance) }];
  },
  usage,
  // Every transaction carries the balance after it; admin_credit / admin_debit are staff's.
  reconcile: { runningBalance: true, adjustmentKinds: ["credit", "debit"] },
};
