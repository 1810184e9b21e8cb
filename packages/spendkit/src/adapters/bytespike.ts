import { type ByteSpikeClient, createByteSpikeClient } from "@spendkit/bytespike";
import { formatUsd, parseUsd } from "../money.js";
import { chunkWindow, isoTime } from "../time.js";
import type {
  AdapterContext,
  LedgerEntry,
  LedgerKind,
  ProviderAdapter,
  UsageRow,
} from "../types.js";

type Transaction = Awaited<ReturnType<ByteSpikeClient["listTransactions"]>>["items"][number];

/** ByteSpike's transaction kinds → ledger kinds. `amount_usd` is already signed (credit +). */
const KINDS: Record<string, LedgerKind> = {
  topup: "topup",
  refund: "refund",
  admin_credit: "credit",
  admin_debit: "debit",
  subscription_renew: "subscription",
};

/** The largest page the spec allows. */
const PAGE_SIZE = 200;
/** Pages requested ahead of the one being read. */
const PREFETCH = 3;
/** The usage endpoint's longest window. */
const USAGE_MAX_DAYS = 90;

/**
 * Every `listTransactions` row, oldest first. The endpoint is newest-first with no sort option,
 * so the adapter pins `until` (the window end, fixed when the export started), reads page 1 to
 * learn `total`, then walks the pages from the last to the first and yields each page reversed.
 * Memory: page 1 plus at most PREFETCH pages in flight. Yields one batch of entries per page.
 */
async function* entries(client: ByteSpikeClient, context: AdapterContext) {
  const { window, signal } = context;
  const query = {
    page_size: PAGE_SIZE,
    until: window.until.toISOString(),
    ...(window.since ? { since: window.since.toISOString() } : {}),
  };
  const first = await client.listTransactions({ ...query, page: 1 }, { signal });
  context.reportTotal?.(first.total);
  const pageSize =
    Number.isInteger(first.page_size) && first.page_size > 0 && first.page_size <= PAGE_SIZE
      ? first.page_size
      : PAGE_SIZE;
  const lastPage = Math.max(1, Math.ceil(first.total / pageSize));

  const pending: Promise<typeof first>[] = [];
  let next = lastPage;
  const fill = () => {
    while (pending.length < PREFETCH && next >= 2) {
      const request = client.listTransactions(
        { ...query, page_size: pageSize, page: next-- },
        { signal },
      );
      request.catch(() => {}); // surfaced when the walk reaches this page
      pending.push(request);
    }
  };
  fill();
  while (pending.length > 0) {
    const page = await pending.shift()!;
    fill();
    yield reversed(page.items, context);
  }
  yield reversed(first.items, context);
}

/** A page's entries, oldest first. */
function reversed(items: readonly Transaction[], context: AdapterContext): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (let i = items.length - 1; i >= 0; i--) {
    const entry = toEntry(items[i]!, context);
    if (entry) entries.push(entry);
  }
  return entries;
}

export function toEntry(
  tx: Transaction,
  context: Pick<AdapterContext, "warn">,
): LedgerEntry | undefined {
  const kind = KINDS[tx.kind];
  const time = isoTime(tx.created_at);
  if (!kind || !time) {
    context.warn(
      `transaction ${tx.id} skipped: ${kind ? `bad created_at ${JSON.stringify(tx.created_at)}` : `unknown kind ${JSON.stringify(tx.kind)}`}`,
    );
    return undefined;
  }
  const source = (tx.source ?? {}) as {
    provider?: string;
    receipt_id?: string;
    method?: string;
    actor?: string;
  };
  const description =
    tx.note ??
    (source.actor
      ? `by ${source.actor}`
      : source.provider
        ? source.method
          ? `${source.provider} ${source.method}`
          : source.provider
        : undefined);
  const entry: LedgerEntry = {
    provider: "bytespike",
    id: String(tx.id),
    time,
    kind,
    amount: formatUsd(tx.amount_usd),
    currency: "USD",
    raw: tx,
  };
  if (typeof tx.balance_after_usd === "number") {
    entry.balanceAfter = formatUsd(tx.balance_after_usd);
  }
  if (description) entry.description = description;
  if (source.receipt_id) entry.reference = source.receipt_id;
  return entry;
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
        micros: parseUsd(bucket.total_usd),
        requests: bucket.call_count,
      });
    }
  }
  return rows;
}

export const bytespike: ProviderAdapter<ByteSpikeClient> = {
  name: "bytespike",
  displayName: "ByteSpike",
  serviceName: "ByteSpike LLM API",
  env: { apiKey: "BYTESPIKE_API_KEY", baseUrl: "BYTESPIKE_BASE_URL" },
  createClient: (options) => createByteSpikeClient(options),
  entries,
  async balance(client, signal) {
    const account = await client.getAccount({}, { signal });
    return parseUsd(account.balance.available_usd);
  },
  usage,
  // Every transaction carries the balance after it; admin_credit / admin_debit are staff's.
  reconcile: { runningBalance: true, adjustmentKinds: ["credit", "debit"] },
};
