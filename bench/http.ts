// Part 2 — paging over real HTTP on loopback. The fixture server (its own process) serves
// 200-row ByteSpike pages; each variant reads every row of the same dataset, with the same
// query (page, page_size=200 and a pinned `until`), parsing every page as JSON. Variants run
// in turn, several rounds with the order rotated; the table shows medians of per-round ratios.
import type { ByteSpikeClient, components, paths } from "@spendkit/bytespike";
import type { Client as OpenApiFetchClient } from "openapi-fetch";
import {
  fmt,
  importFrom,
  median,
  type Row,
  type RunOptions,
  rotation,
  row,
  startServer,
} from "./lib/common.js";

type Transaction = components["schemas"]["Transaction"];
type TransactionPage = components["schemas"]["TransactionPage"];

const PATH = "/api/v1/me/billing/transactions";
const KEY = "sk-byts-bench";
const PAGE_SIZE = 200;

/** What every loop is given: the pinned end of the window, and what to do with each row. */
interface LoopOptions {
  until: string;
  onItem: (item: Transaction) => void;
}

/** The minimal hand-written loop: one page after the other until the last. */
export async function handLoop(baseUrl: string, { until, onItem }: LoopOptions): Promise<number> {
  let rows = 0;
  for (let page = 1; ; page++) {
    const url = `${baseUrl}${PATH}?page=${page}&page_size=${PAGE_SIZE}&until=${encodeURIComponent(until)}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${KEY}` } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = (await response.json()) as TransactionPage;
    for (const item of body.items) onItem(item);
    rows += body.items.length;
    if (body.items.length < PAGE_SIZE || page * PAGE_SIZE >= body.total) return rows;
  }
}

/** The same, keeping `ahead` pages in flight once the first page told the total. */
export async function handPrefetchLoop(
  baseUrl: string,
  { until, onItem, ahead = 4 }: LoopOptions & { ahead?: number },
): Promise<number> {
  const load = async (page: number): Promise<TransactionPage> => {
    const url = `${baseUrl}${PATH}?page=${page}&page_size=${PAGE_SIZE}&until=${encodeURIComponent(until)}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${KEY}` } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as TransactionPage;
  };
  let body = await load(1);
  const last = Math.ceil(body.total / PAGE_SIZE);
  const pending: Promise<TransactionPage>[] = [];
  let next = 2;
  let rows = 0;
  for (;;) {
    while (pending.length < ahead && next <= last) {
      const request = load(next++);
      request.catch(() => {});
      pending.push(request);
    }
    for (const item of body.items) onItem(item);
    rows += body.items.length;
    if (pending.length === 0) return rows;
    body = await pending.shift()!;
  }
}

/** The sequential loop over plain openapi-fetch (what spendkit is built on). */
export async function openapiFetchLoop(
  client: OpenApiFetchClient<paths>,
  { until, onItem }: LoopOptions,
): Promise<number> {
  let rows = 0;
  for (let page = 1; ; page++) {
    const { data, error } = await client.GET(PATH, {
      params: { query: { page, page_size: PAGE_SIZE, until } },
    });
    if (error) throw new Error(`request failed: ${JSON.stringify(error)}`);
    for (const item of data.items) onItem(item);
    rows += data.items.length;
    if (data.items.length < PAGE_SIZE || page * PAGE_SIZE >= data.total) return rows;
  }
}

export async function spendkitAll(
  client: ByteSpikeClient,
  { until, onItem, concurrency }: LoopOptions & { concurrency?: number | undefined },
): Promise<number> {
  let rows = 0;
  const options = concurrency === undefined ? undefined : { concurrency };
  for await (const item of client.listTransactions.all({ until }, options)) {
    onItem(item);
    rows++;
  }
  return rows;
}

/**
 * Runs each variant once per round (rotating the order); returns, per variant and round, the
 * wall ms and this process's CPU ms (the client's own work, whatever the server or the other
 * processes on the machine did meanwhile).
 */
export async function rounds(
  variants: readonly { run: () => Promise<void> }[],
  count: number,
): Promise<{ times: number[][]; cpu: number[][] }> {
  const times: number[][] = variants.map(() => []);
  const cpu: number[][] = variants.map(() => []);
  for (let r = 0; r < count; r++) {
    for (const i of rotation(variants.length, r)) {
      const start = performance.now();
      const used = process.cpuUsage();
      await variants[i]!.run();
      const { user, system } = process.cpuUsage(used);
      times[i]!.push(performance.now() - start);
      cpu[i]!.push((user + system) / 1000);
    }
  }
  return { times, cpu };
}

/** Median over rounds of measured/baseline throughput (= baseline time / measured time). */
export function ratioOf(measured: readonly number[], baseline: readonly number[]): number {
  return median(measured.map((t, r) => baseline[r]! / t));
}

export async function run({ quick = false }: RunOptions = {}): Promise<Row[]> {
  const { createByteSpikeClient } = await import("@spendkit/bytespike");
  const { default: createOpenApiFetch } = await importFrom<typeof import("openapi-fetch")>(
    "packages/core",
    "openapi-fetch",
  );
  const server = await startServer();
  const out: Row[] = [];
  try {
    const pages = 50;
    const total = pages * PAGE_SIZE;
    const baseUrl = server.url(total);
    const client = createByteSpikeClient({ apiKey: KEY, baseUrl });
    const openapiFetch = createOpenApiFetch<paths>({
      baseUrl,
      headers: { Authorization: `Bearer ${KEY}` },
    });
    // Every variant reads the same window; `.all()` would otherwise pin "now" itself.
    const until = new Date(server.endMs + 1000).toISOString();
    let sink = 0;
    const onItem = (item: Transaction) => {
      sink += item.id;
    };
    const expect = (n: number) => {
      if (n !== total) throw new Error(`read ${n} rows, expected ${total}`);
    };
    const variants = [
      {
        name: "hand loop",
        run: async () => expect(await handLoop(baseUrl, { until, onItem })),
      },
      {
        name: ".all({concurrency:1})",
        run: async () => expect(await spendkitAll(client, { until, onItem, concurrency: 1 })),
      },
      {
        name: "hand loop 4 in flight",
        run: async () => expect(await handPrefetchLoop(baseUrl, { until, onItem })),
      },
      {
        name: ".all() (4 ahead)",
        run: async () => expect(await spendkitAll(client, { until, onItem })),
      },
      {
        name: "openapi-fetch loop",
        run: async () => expect(await openapiFetchLoop(openapiFetch, { until, onItem })),
      },
    ];
    // Warm-up: JIT, keep-alive sockets.
    for (const v of variants) await v.run();
    const { times, cpu } = await rounds(variants, quick ? 3 : 15);
    const perPage = (t: number[]) => fmt(median(t) / pages, 2);
    const rowsPerSec = (t: number[]) => `${fmt(total / (median(t) / 1000))} rows/s`;
    const describe = (i: number) =>
      `${rowsPerSec(times[i]!)}, ${perPage(times[i]!)} ms/page (CPU ${perPage(cpu[i]!)})`;
    // [measured, baseline, gated]
    const pairs: [number, number, boolean][] = [
      [1, 0, true],
      [3, 2, true],
      [3, 0, false],
      [1, 4, false],
    ];
    for (const [m, b, gated] of pairs) {
      out.push(
        row({
          part: 2,
          name: `HTTP paging ${pages}×${PAGE_SIZE}: ${variants[m]!.name} vs ${variants[b]!.name}`,
          measured: describe(m),
          baseline: describe(b),
          ratio: ratioOf(times[m]!, times[b]!),
          target: gated ? "≥ 0.90×" : undefined,
          min: gated ? 0.9 : undefined,
        }),
      );
    }
    if (sink === 0) throw new Error("no rows");
  } finally {
    await server.stop();
  }
  return out;
}
