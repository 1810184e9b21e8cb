import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createByteSpikeClient,
  createWaveSpeedClient,
  createXaiClient,
  InputError,
  type LedgerEntry,
  ledger,
  ledgerPages,
} from "../src/index.js";
import { flatten, type MergeSource, mergeSorted } from "../src/merge.js";
import { collect, fakeFetch, streamOf } from "./helpers.js";

const TEAM = "team-1";
const at = (iso: string) => new Date(iso).toISOString();

/** ByteSpike: newest first, paged, honouring since/until; `rows` may contain duplicates on purpose. */
function bytespike(rows: any[], pageSize?: number) {
  const fetch = fakeFetch(({ url }) => {
    const q = url.searchParams;
    const page = Number(q.get("page"));
    const size = pageSize ?? Number(q.get("page_size"));
    const until = q.get("until");
    const since = q.get("since");
    const matching = rows
      .filter((row) => (!until || row.created_at < until) && (!since || row.created_at >= since))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    return {
      json: {
        items: matching.slice((page - 1) * size, page * size),
        total: matching.length,
        page,
        page_size: size,
      },
    };
  });
  return {
    fetch,
    client: createByteSpikeClient({ apiKey: "k", baseUrl: "http://b.test", fetch, maxRetries: 0 }),
  };
}

function wavespeed(search: any[], status?: number) {
  const fetch = fakeFetch(({ url, body }) => {
    if (status) return { status, json: { code: status, message: "Service Unavailable" } };
    const data =
      url.pathname === "/api/v3/billings/search"
        ? {
            page: body.page,
            total: search.length,
            items: search.slice((body.page - 1) * body.page_size, body.page * body.page_size),
          }
        : { items: [], pagination: { page: 1, page_size: 100, total: 0 } };
    return { json: { code: 200, message: "success", data } };
  });
  return {
    fetch,
    client: createWaveSpeedClient({ apiKey: "k", baseUrl: "http://w.test", fetch, maxRetries: 0 }),
  };
}

function xai(changes: any[]) {
  const fetch = fakeFetch(({ url }) => {
    if (url.pathname.endsWith("/prepaid/balance")) return { json: { changes, total: {} } };
    return { json: { invoices: [] } };
  });
  return {
    fetch,
    client: createXaiClient({
      apiKey: "k",
      baseUrl: "http://x.test",
      teamId: TEAM,
      fetch,
      maxRetries: 0,
    }),
  };
}

const bs = (id: number, time: string, amount = 1) => ({
  id,
  created_at: time,
  kind: amount > 0 ? "topup" : "admin_debit",
  amount_usd: amount,
  balance_after_usd: 0,
  source: {},
});
const ws = (uuid: string, time: string) => ({
  uuid,
  billing_type: "deduct",
  price: 0.5,
  created_at: time,
  updated_at: time,
});
const xc = (time: string, val = "100") => ({
  changeOrigin: "SPEND",
  amount: { val },
  createTime: time,
});

describe("ledger", () => {
  it("merges the providers in time order; ties by provider, then id", async () => {
    const b = bytespike([
      bs(2, "2026-01-01T00:00:03Z"),
      bs(1, "2026-01-01T00:00:01Z"),
      bs(3, "2026-01-01T00:00:05Z"),
    ]);
    const w = wavespeed([
      ws("w1", "2026-01-01T00:00:02Z"),
      ws("w2", "2026-01-01T00:00:05Z"),
      ws("w3", "2026-01-01T00:00:06Z"),
    ]);
    const x = xai([xc("2026-01-01T00:00:05Z"), xc("2026-01-01T00:00:00Z")]);
    const entries = await collect(
      ledger({ bytespike: b.client, wavespeed: w.client, xai: x.client }, { onWarning: () => {} }),
    );
    expect(entries.map((e) => `${e.time.slice(17, 19)} ${e.provider} ${e.id}`)).toEqual([
      "00 xai prepaid-spend-2026-01-01T00:00:00.000Z",
      "01 bytespike 1",
      "02 wavespeed w1",
      "03 bytespike 2",
      "05 bytespike 3",
      "05 wavespeed w2",
      "05 xai prepaid-spend-2026-01-01T00:00:05.000Z",
      "06 wavespeed w3",
    ]);
  });

  it("ledgerPages: the same entries, in order, in non-empty batches", async () => {
    const rows = Array.from({ length: 450 }, (_, i) =>
      bs(i + 1, new Date(Date.parse("2026-01-01T00:00:00Z") + i * 1000).toISOString()),
    );
    const x = xai([xc("2026-01-01T00:01:00Z"), xc("2026-01-01T00:03:00Z")]);
    const clients = () => ({ bytespike: bytespike(rows).client, xai: x.client });
    const pages = await collect(ledgerPages(clients(), { onWarning: () => {} }));
    expect(pages.every((page) => page.length > 0)).toBe(true);
    expect(pages.length).toBeGreaterThan(1);
    const flat = pages.flat();
    expect(flat).toHaveLength(452);
    expect(flat.map((e) => `${e.provider}:${e.id}`)).toEqual(
      (await collect(ledger(clients(), { onWarning: () => {} }))).map(
        (e) => `${e.provider}:${e.id}`,
      ),
    );
  });

  it("books each (provider, id) once, even when pages overlap", async () => {
    // A row booked twice by the server (e.g. a page that shifted): same id, same time.
    const rows = [
      bs(1, "2026-01-01T00:00:01Z"),
      bs(2, "2026-01-01T00:00:02Z"),
      bs(2, "2026-01-01T00:00:02Z"),
      bs(3, "2026-01-01T00:00:02Z"),
      bs(4, "2026-01-01T00:00:04Z"),
    ];
    const b = bytespike(rows, 2);
    const entries = await collect(ledger({ bytespike: b.client }, { onWarning: () => {} }));
    expect(entries.map((e) => e.id).sort()).toEqual(["1", "2", "3", "4"]);
    // different providers may share an id: both kept
    const w = wavespeed([ws("1", "2026-01-01T00:00:01Z")]);
    const both = await collect(
      ledger({ bytespike: bytespike([bs(1, "2026-01-01T00:00:01Z")]).client, wavespeed: w.client }),
    );
    expect(both.map((e) => `${e.provider}:${e.id}`)).toEqual(["bytespike:1", "wavespeed:1"]);
  });

  it("keeps only the window [since, until), also for providers that cannot filter (xAI)", async () => {
    const x = xai([
      xc("2025-12-31T23:59:59Z"),
      xc("2026-01-01T00:00:00Z"),
      xc("2026-01-31T23:59:59Z"),
      xc("2026-02-01T00:00:00Z"),
    ]);
    const entries = await collect(
      ledger({ xai: x.client }, { since: "2026-01-01", until: new Date("2026-02-01T00:00:00Z") }),
    );
    expect(entries.map((e) => e.time)).toEqual([
      at("2026-01-01T00:00:00Z"),
      at("2026-01-31T23:59:59Z"),
    ]);
  });

  it("pins `until` to now when it is in the future or absent", async () => {
    const b = bytespike([]);
    const before = Date.now();
    await collect(ledger({ bytespike: b.client }, { until: "2999-01-01T00:00:00Z" }));
    const until = Date.parse(b.fetch.calls[0]!.url.searchParams.get("until")!);
    expect(until).toBeGreaterThanOrEqual(before - 1000);
    expect(until).toBeLessThanOrEqual(Date.now());
  });

  it("goes on with the other providers when one fails, and reports it", async () => {
    const b = bytespike([bs(1, "2026-01-01T00:00:01Z"), bs(2, "2026-01-02T00:00:01Z")]);
    const w = wavespeed([], 503);
    const x = xai([xc("2026-01-01T12:00:00Z")]);
    const failures: [string, unknown][] = [];
    const entries = await collect(
      ledger(
        { bytespike: b.client, wavespeed: w.client, xai: x.client },
        { onError: (provider, error) => failures.push([provider, error]) },
      ),
    );
    expect(entries.map((e) => e.provider)).toEqual(["bytespike", "xai", "bytespike"]);
    expect(failures).toHaveLength(1);
    expect(failures[0]![0]).toBe("wavespeed");
    expect(failures[0]![1]).toMatchObject({
      name: "ServerError",
      provider: "wavespeed",
      status: 503,
    });
  });

  it("an abort through `signal` ends the iteration with its reason, not as a provider failure", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) =>
      bs(i + 1, new Date(Date.parse("2026-01-01T00:00:00Z") + i * 1000).toISOString()),
    );
    const controller = new AbortController();
    const failures: string[] = [];
    const seen: string[] = [];
    const run = async () => {
      for await (const entry of ledger(
        { bytespike: bytespike(rows).client },
        { signal: controller.signal, onError: (provider) => failures.push(provider) },
      )) {
        seen.push(entry.id);
        if (seen.length === 1) controller.abort(new Error("stop"));
      }
    };
    await expect(run()).rejects.toThrow("stop");
    expect(failures).toEqual([]);
  });

  it("throws the failure when no onError is given", async () => {
    const w = wavespeed([], 503);
    await expect(collect(ledger({ wavespeed: w.client }))).rejects.toMatchObject({
      name: "ServerError",
    });
  });

  it("rejects bad input at once, before any request", () => {
    const b = bytespike([]);
    const clients = { bytespike: b.client };
    expect(() => ledger(clients, { since: "yesterday" })).toThrow(InputError);
    expect(() => ledger(clients, { since: "2026-02-01", until: "2026-01-01" })).toThrow(
      /before until/,
    );
    expect(() => ledger(clients, { providers: ["bytespike", "acme" as "xai"] })).toThrow(
      /unknown provider "acme"/,
    );
    expect(() => ledger(clients, { providers: ["xai"] })).toThrow(/has no client/);
    expect(b.fetch.calls).toHaveLength(0);
  });

  it("stops every provider's requests when the caller stops early", async () => {
    const rows = Array.from({ length: 2000 }, (_, i) =>
      bs(i + 1, new Date(Date.parse("2026-01-01T00:00:00Z") + i * 1000).toISOString()),
    );
    const b = bytespike(rows);
    for await (const entry of ledger({ bytespike: b.client })) {
      expect(entry.id).toBe("1");
      break;
    }
    const requested = b.fetch.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b.fetch.calls.length).toBe(requested);
    expect(requested).toBeLessThan(10); // 10 pages of 200: not all were fetched
  });
});

describe("mergeSorted", () => {
  const byNumber = (a: number, b: number) => a - b;
  const merge = (...sources: MergeSource<number>[]) =>
    collect(flatten(mergeSorted(sources, byNumber)));

  it("merges any number of sorted streams of batches into one sorted stream", async () => {
    const sources = [[[1, 4], [], [9, 12]], [[2, 3, 10]], [], [[0], [5, 5, 6], [7, 8, 11, 13]]].map(
      (batches, i) => ({ name: `s${i}`, batches: streamOf(batches) }),
    );
    expect(await merge(...sources)).toEqual([0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it("merges random sorted streams like a sort would (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 5 }), { maxLength: 6 }),
          {
            maxLength: 5,
          },
        ),
        async (streams) => {
          // each stream: its numbers sorted, then cut back into the generated batch sizes
          const sources = streams.map((batches, i) => {
            const sorted = batches.flat().sort(byNumber);
            let at = 0;
            const cut = batches.map((batch) => {
              const slice = sorted.slice(at, at + batch.length);
              at += batch.length;
              return slice;
            });
            return { name: `s${i}`, batches: streamOf(cut) };
          });
          expect(await merge(...sources)).toEqual(streams.flat(2).sort(byNumber));
        },
      ),
    );
  });

  it("holds one batch per source: a source is only advanced when its batch is used up", async () => {
    const pulled: string[] = [];
    async function* counted(name: string, batches: number[][]) {
      for (const batch of batches) {
        pulled.push(name);
        yield batch;
      }
    }
    const merged = mergeSorted(
      [
        {
          name: "a",
          batches: counted("a", [
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
        },
        { name: "b", batches: counted("b", [[10, 20]]) },
      ],
      byNumber,
    );
    const iterator = merged[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual([1, 2]);
    expect(pulled).toEqual(["a", "b"]);
    expect((await iterator.next()).value).toEqual([3, 4]);
    expect(pulled).toEqual(["a", "b", "a"]);
    await iterator.return?.();
  });

  it("closes every source when the consumer stops", async () => {
    const closed: string[] = [];
    async function* source(name: string, batches: number[][]) {
      try {
        yield* batches;
      } finally {
        closed.push(name);
      }
    }
    for await (const batch of mergeSorted(
      [
        { name: "a", batches: source("a", [[1], [3]]) },
        { name: "b", batches: source("b", [[2], [4]]) },
      ],
      byNumber,
    )) {
      if (batch.includes(2)) break;
    }
    expect(closed.sort()).toEqual(["a", "b"]);
  });

  it("drops a failing source and reports it when asked to", async () => {
    async function* failing() {
      yield [2];
      throw new Error("boom");
    }
    const errors: string[] = [];
    const merged = mergeSorted(
      [
        { name: "ok", batches: streamOf([[1, 3, 5]]) },
        { name: "bad", batches: failing() },
      ],
      byNumber,
      (name, error) => errors.push(`${name}: ${(error as Error).message}`),
    );
    expect(await collect(flatten(merged))).toEqual([1, 2, 3, 5]);
    expect(errors).toEqual(["bad: boom"]);
  });
});

// Used by other tests too: a ledger entry in the CSV sense, for type checks.
export type { LedgerEntry };
