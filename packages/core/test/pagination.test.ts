import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "../src/index.js";
import {
  acmeClient,
  type Fixture,
  type Row,
  rejection,
  sequence,
  useFixture,
  wavyClient,
} from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const ids = (rows: Row[]) => rows.map((row) => row.id);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * A newest-first list of `count` rows (ids count..1), paged by `page`/`page_size` (default 5),
 * filtered by `until` (exclusive) when given, with the total of the filtered list.
 */
function serveRows(
  f: Fixture,
  count: number,
  options: {
    total?: boolean;
    maxPageSize?: number;
    path?: string;
    gate?: () => Promise<void>;
  } = {},
) {
  const base = Date.parse("2026-01-01T00:00:00Z");
  const rows: Row[] = range(1, count)
    .reverse()
    .map((id) => ({ id, created_at: new Date(base + id * 1000).toISOString() }));
  f.route(`GET ${options.path ?? "/v1/rows"}`, async (req) => {
    await options.gate?.();
    const page = Number(req.query.get("page") ?? 1);
    const size = Math.min(Number(req.query.get("page_size") ?? 5), options.maxPageSize ?? 5);
    const until = req.query.get("until");
    const visible = until ? rows.filter((r) => r.created_at < until) : rows;
    const items = visible.slice((page - 1) * size, page * size);
    return { json: options.total === false ? { items } : { items, total: visible.length } };
  });
  return rows;
}

describe(".all() yields every item in server order", () => {
  it("stops when the total is reached, without asking for a page past it", async () => {
    serveRows(fixture(), 23);
    const rows = await collect(acmeClient(fixture()).listRows.all());
    expect(ids(rows)).toEqual(range(1, 23).reverse());
    expect(fixture().count("GET /v1/rows")).toBe(5);
    const pages = fixture()
      .requests("GET /v1/rows")
      .map((r) => r.query.get("page"));
    expect(pages).toEqual(["1", "2", "3", "4", "5"]);
    // The page size defaults to the spec's maximum.
    expect(fixture().requests("GET /v1/rows")[0]?.query.get("page_size")).toBe("5");
  });

  it("calls to next() made without awaiting still get every item once, in order", async () => {
    serveRows(fixture(), 23);
    const iterator = acmeClient(fixture()).listRows.all()[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 25 }, () => iterator.next()));
    expect(results.filter((r) => !r.done).map((r) => (r.value as Row).id)).toEqual(
      range(1, 23).reverse(),
    );
    expect(results.slice(23).every((r) => r.done)).toBe(true);
  });

  it("stops on a short page when there is no total", async () => {
    serveRows(fixture(), 12, { total: false, path: "/v1/events" });
    const rows = await collect(acmeClient(fixture()).listEvents.all());
    expect(ids(rows)).toEqual(range(1, 12).reverse());
    expect(fixture().count("GET /v1/events")).toBe(3);
  });

  it("stops on an empty page when there is no total", async () => {
    serveRows(fixture(), 10, { total: false, path: "/v1/events" });
    const rows = await collect(acmeClient(fixture()).listEvents.all());
    expect(ids(rows)).toEqual(range(1, 10).reverse());
    expect(fixture().count("GET /v1/events")).toBe(3);
  });

  it("stops on an empty or short page even when the total says more", async () => {
    fixture().route(
      "GET /v1/rows",
      sequence(
        { json: { items: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }], total: 100 } },
        { json: { items: [{ id: 6 }], total: 100 } },
        { json: { items: [{ id: 99 }], total: 100 } },
      ),
    );
    const rows = await collect(acmeClient(fixture()).listRows.all({}, { concurrency: 1 }));
    expect(ids(rows as Row[])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("an empty list: one request, nothing yielded", async () => {
    serveRows(fixture(), 0);
    expect(await collect(acmeClient(fixture()).listRows.all())).toEqual([]);
    expect(fixture().count("GET /v1/rows")).toBe(1);
  });

  it("a short page ends the iteration even when the total says more (a server capping page sizes)", async () => {
    // Paging on at a guessed size would misalign every later page; the spec's maximum must be right.
    serveRows(fixture(), 11, { maxPageSize: 2 });
    const rows = await collect(acmeClient(fixture()).listRows.all());
    expect(ids(rows)).toEqual([11, 10]);
    expect(fixture().count("GET /v1/rows")).toBe(1);
  });

  it("starts at the caller's page and keeps the caller's page size and filters", async () => {
    serveRows(fixture(), 20);
    const rows = await collect(
      acmeClient(fixture()).listRows.all({ page: 3, page_size: 4, kind: "topup" }),
    );
    expect(ids(rows)).toEqual(range(1, 12).reverse());
    const requests = fixture().requests("GET /v1/rows");
    expect(requests.map((r) => r.query.get("page"))).toEqual(["3", "4", "5"]);
    expect(
      requests.every((r) => r.query.get("page_size") === "4" && r.query.get("kind") === "topup"),
    ).toBe(true);
  });
});

describe("the window end is pinned when the iteration starts", () => {
  it("1,000 pages with rows inserted at the head during iteration: 0 duplicates, 0 missing", async () => {
    const PAGES = 1_000;
    const rows: Row[] = range(1, PAGES * 5)
      .reverse()
      .map((id) => ({ id, created_at: new Date(Date.now() - 3_600_000 + id).toISOString() }));
    let nextId = PAGES * 5 + 1;
    fixture().route("GET /v1/rows", (req) => {
      // Every request books two new rows, newest first, as a live ledger would.
      for (let i = 0; i < 2; i++)
        rows.unshift({ id: nextId++, created_at: new Date().toISOString() });
      const page = Number(req.query.get("page"));
      const size = Number(req.query.get("page_size"));
      const until = req.query.get("until");
      const visible = until ? rows.filter((r) => r.created_at < until) : rows;
      return {
        json: { items: visible.slice((page - 1) * size, page * size), total: visible.length },
      };
    });
    const expected = ids(rows);
    const seen = ids(await collect(acmeClient(fixture()).listRows.all()));
    const duplicates = seen.length - new Set(seen).size;
    const seenSet = new Set(seen);
    const missing = expected.filter((id) => !seenSet.has(id));
    expect({ duplicates, missing: missing.length }).toEqual({ duplicates: 0, missing: 0 });
    expect(seen).toEqual(expected);
    expect(fixture().count("GET /v1/rows")).toBe(PAGES);
    const untils = new Set(
      fixture()
        .requests("GET /v1/rows")
        .map((r) => r.query.get("until")),
    );
    expect(untils.size).toBe(1);
    expect([...untils][0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  }, 60_000);

  it("keeps a window end the caller set", async () => {
    serveRows(fixture(), 7);
    const until = "2026-01-01T00:00:05.000Z";
    const rows = await collect(acmeClient(fixture()).listRows.all({ until }));
    expect(ids(rows)).toEqual([4, 3, 2, 1]);
    expect(
      fixture()
        .requests("GET /v1/rows")
        .map((r) => r.query.get("until")),
    ).toEqual([until]);
  });

  it("pins an epoch-milliseconds end in the body of a read-only POST list (envelope)", async () => {
    const before = Date.now();
    fixture().route("POST /api/v3/billings/search", (req) => {
      const { page, page_size } = req.json();
      const all = range(1, 7).map((id) => ({ id, created_at: "" }));
      return {
        json: {
          code: 200,
          data: { items: all.slice((page - 1) * page_size, page * page_size), total: 7 },
        },
      };
    });
    const rows = await collect(wavyClient(fixture()).searchBillings.all({ start_time: "1000" }));
    expect(ids(rows)).toEqual(range(1, 7));
    const bodies = fixture()
      .requests("POST /api/v3/billings/search")
      .map((r) => r.json());
    expect(bodies.map((b) => b.page)).toEqual([1, 2, 3]);
    expect(new Set(bodies.map((b) => b.end_time)).size).toBe(1);
    expect(bodies[0].end_time).toMatch(/^\d+$/);
    expect(Number(bodies[0].end_time)).toBeGreaterThanOrEqual(before);
    expect(bodies[0]).toMatchObject({ start_time: "1000", page_size: 3 });
  });
});

describe("prefetching", () => {
  /**
   * Holds page requests until `n` of them wait together, then answers them all: a client that
   * keeps `n` pages in flight passes straight through, one that does not is answered after a
   * second (so the test fails on its assertion rather than hanging).
   */
  function barrier(n: number) {
    let waiting: (() => void)[] = [];
    return () =>
      new Promise<void>((resolve) => {
        const fallback = setTimeout(resolve, 1_000);
        waiting.push(() => {
          clearTimeout(fallback);
          resolve();
        });
        if (waiting.length >= n) {
          for (const release of waiting) release();
          waiting = [];
        }
      });
  }

  /** 1 + 4 × 4 pages: after page 1, every round of 4 (or 2) pages fills the barrier. */
  const PAGES = 17;

  function serveGated(n: number) {
    const rows = serveRows(fixture(), PAGES * 5);
    const gate = barrier(n);
    fixture().route("GET /v1/rows", async (req) => {
      const page = Number(req.query.get("page"));
      if (page > 1) await gate();
      return { json: { items: rows.slice((page - 1) * 5, page * 5), total: rows.length } };
    });
    return rows;
  }

  it.each([4, 2])(
    "keeps %i pages in flight when the total is known, never more",
    async (concurrency) => {
      const rows = serveGated(concurrency);
      const seen = await collect(acmeClient(fixture()).listRows.all({}, { concurrency }));
      expect(ids(seen)).toEqual(ids(rows));
      expect(fixture().stats("GET /v1/rows")).toMatchObject({
        count: PAGES,
        maxInFlight: concurrency,
      });
    },
  );

  it("defaults to 4 pages ahead", async () => {
    serveGated(4);
    await collect(acmeClient(fixture()).listRows.all());
    expect(fixture().stats("GET /v1/rows")).toMatchObject({ count: PAGES, maxInFlight: 4 });
  });

  it("holds at most `concurrency` pages ahead of a consumer that stops reading", async () => {
    serveRows(fixture(), 100);
    const iterator = acmeClient(fixture())
      .listRows.all({}, { concurrency: 3 })
      [Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ id: 100 });
    await fixture().waitFor(() => fixture().count("GET /v1/rows") >= 4);
    await new Promise((resolve) => setTimeout(resolve, 50)); // room for any extra request to arrive
    expect(fixture().count("GET /v1/rows")).toBe(4);
    await iterator.return?.();
  });

  it("without a total, asks for one page ahead only", async () => {
    serveRows(fixture(), 30, { total: false, path: "/v1/events" });
    await collect(acmeClient(fixture()).listEvents.all({}, { concurrency: 8 }));
    expect(fixture().stats("GET /v1/events")).toMatchObject({ count: 7, maxInFlight: 1 });
  });
});

describe("failures and early exits", () => {
  it("a page that fails mid-way throws after every earlier item was yielded", async () => {
    const rows = serveRows(fixture(), 50);
    fixture().route("GET /v1/rows", (req) => {
      const page = Number(req.query.get("page"));
      if (page === 4) return { status: 400, json: { error: { message: "page 4 is broken" } } };
      return { json: { items: rows.slice((page - 1) * 5, page * 5), total: rows.length } };
    });
    const seen: Row[] = [];
    const error = await rejection(
      (async () => {
        for await (const row of acmeClient(fixture()).listRows.all({}, { concurrency: 4 }))
          seen.push(row);
      })(),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe("acme: 400 page 4 is broken");
    expect(ids(seen)).toEqual(ids(rows.slice(0, 15)));
  });

  it("a transient failure of one page is retried inside the iteration", async () => {
    const rows = serveRows(fixture(), 15);
    let failed = false;
    fixture().route("GET /v1/rows", (req) => {
      const page = Number(req.query.get("page"));
      if (page === 2 && !failed) {
        failed = true;
        return { status: 503 };
      }
      return { json: { items: rows.slice((page - 1) * 5, page * 5), total: rows.length } };
    });
    expect(ids(await collect(acmeClient(fixture()).listRows.all()))).toEqual(ids(rows));
    expect(fixture().count("GET /v1/rows")).toBe(4);
  });

  it("breaking early cancels the prefetches in flight and asks for nothing more", async () => {
    const rows = serveRows(fixture(), 100);
    fixture().route("GET /v1/rows", async (req, reply) => {
      const page = Number(req.query.get("page"));
      if (page > 1) return void (await reply.hang());
      return { json: { items: rows.slice(0, 5), total: rows.length } };
    });
    // A long timeout: only the exit itself can end the hanging requests.
    const client = acmeClient(fixture(), { timeout: 60_000 });
    for await (const row of client.listRows.all({}, { concurrency: 4 })) {
      expect(row.id).toBe(100);
      await fixture().waitFor(() => fixture().stats("GET /v1/rows").inFlight === 4);
      break;
    }
    await fixture().waitFor(() => fixture().stats("GET /v1/rows").aborted === 4, 1_000);
    expect(fixture().stats("GET /v1/rows")).toMatchObject({ count: 5, inFlight: 0 });
  });

  it("the caller's signal aborts the iteration with its reason", async () => {
    const rows = serveRows(fixture(), 100);
    fixture().route("GET /v1/rows", async (req, reply) => {
      const page = Number(req.query.get("page"));
      if (page > 1) return void (await reply.hang());
      return { json: { items: rows.slice(0, 5), total: rows.length } };
    });
    const controller = new AbortController();
    const reason = new Error("export cancelled");
    const seen: Row[] = [];
    const error = await rejection(
      (async () => {
        for await (const row of acmeClient(fixture()).listRows.all(
          {},
          { signal: controller.signal },
        )) {
          seen.push(row);
          if (seen.length === 2) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(seen).toHaveLength(2);
    await fixture().waitFor(() => fixture().stats("GET /v1/rows").inFlight === 0, 1_000);
  });

  it("the caller's signal interrupts a wait for a page in flight", async () => {
    const rows = serveRows(fixture(), 100);
    fixture().route("GET /v1/rows", async (req, reply) => {
      const page = Number(req.query.get("page"));
      if (page > 1) return void (await reply.hang());
      return { json: { items: rows.slice(0, 5), total: rows.length } };
    });
    const controller = new AbortController();
    const client = acmeClient(fixture(), { timeout: 60_000 });
    const iterator = client.listRows.all({}, { signal: controller.signal })[Symbol.asyncIterator]();
    for (let i = 0; i < 5; i++) await iterator.next();
    const waiting = iterator.next(); // page 2 never comes
    await fixture().waitFor(() => fixture().stats("GET /v1/rows").inFlight === 4);
    const reason = new Error("export cancelled");
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await fixture().waitFor(() => fixture().stats("GET /v1/rows").aborted === 4, 1_000);
  });

  it("an aborted signal sends nothing", async () => {
    serveRows(fixture(), 10);
    const reason = new Error("no");
    const error = await rejection(
      collect(acmeClient(fixture()).listRows.all({}, { signal: AbortSignal.abort(reason) })),
    );
    expect(error).toBe(reason);
    expect(fixture().count()).toBe(0);
  });
});
