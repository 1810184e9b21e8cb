// Cursor pagination (`style: cursor`, as OpenAI's and Anthropic's reports page): `.all()` and
// `.pages()` follow `next_page` while `has_more` says so, with the guards of the numbered walks.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createClient,
  InputError,
  type OperationSpec,
  PaginationError,
  type ProviderSpec,
} from "../src/index.js";
import { API_KEY, FAST, type Fixture, rejection, useFixture } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

const provider: ProviderSpec = {
  name: "buckets",
  baseUrl: "https://api.buckets.invalid",
  error: { message: ["error.message"] },
};

const operations = {
  getCosts: {
    method: "get",
    path: "/v1/costs",
    retrySafe: true,
    in: {
      start_time: "query",
      end_time: "query",
      limit: "query",
      page: "query",
      group_by: "query",
    },
    wire: { group_by: "group_by[]" },
    input: {
      type: "object",
      properties: {
        start_time: { type: "integer", minimum: 0, format: "unix-seconds" },
        end_time: { type: "integer", minimum: 0, format: "unix-seconds" },
        limit: { type: "integer", minimum: 1, maximum: 3 },
        page: { type: "string" },
        group_by: { type: "array", items: { type: "string", enum: ["project_id", "line_item"] } },
      },
      required: ["start_time"],
    },
    window: { start: "start_time", end: "end_time" },
    pagination: {
      style: "cursor",
      cursor: "page",
      next: "next_page",
      hasMore: "has_more",
      items: "data",
      pageSize: "limit",
      maxPageSize: 3,
      windowEnd: "end_time",
      windowEndFormat: "unix-seconds",
    },
  },
} satisfies Record<string, OperationSpec>;

interface Bucket {
  start_time: number;
}
interface Ops {
  getCosts: {
    input: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      group_by?: string[];
    };
    result: { data: Bucket[]; has_more: boolean; next_page: string | null };
    item: Bucket;
    pageFields: "page" | "limit";
    cursor: true;
  };
}

const client = (f: Fixture, options: Record<string, unknown> = {}) =>
  createClient<Record<string, never>, Ops>(provider, operations, {
    apiKey: API_KEY,
    baseUrl: f.url,
    ...FAST,
    ...options,
  });

const DAY = 86_400;
const START = 1_730_419_200; // 2024-11-01T00:00:00Z

/** `days` daily buckets from START, `limit` per page, the cursor an opaque token per offset. */
function serveBuckets(f: Fixture, days: number) {
  f.route("GET /v1/costs", (request) => {
    const limit = Number(request.query.get("limit") ?? 7);
    const page = request.query.get("page");
    const offset = page ? Number(Buffer.from(page.slice(5), "base64url").toString()) : 0;
    const data = Array.from({ length: Math.max(0, Math.min(limit, days - offset)) }, (_, i) => ({
      start_time: START + (offset + i) * DAY,
    }));
    const more = offset + limit < days;
    const next = more ? `page_${Buffer.from(String(offset + limit)).toString("base64url")}` : null;
    return { json: { data, has_more: more, next_page: next } };
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("cursor pagination", () => {
  it("follows next_page while has_more, asking for the largest page, window end pinned in seconds", async () => {
    serveBuckets(fixture(), 8);
    const before = Math.floor(Date.now() / 1000);
    const buckets = await collect(client(fixture()).getCosts.all({ start_time: START }));
    expect(buckets.map((b) => (b.start_time - START) / DAY)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const requests = fixture().requests("GET /v1/costs");
    expect(requests.map((r) => r.query.get("page"))).toEqual([null, "page_Mw", "page_Ng"]);
    expect(new Set(requests.map((r) => r.query.get("limit")))).toEqual(new Set(["3"]));
    const ends = new Set(requests.map((r) => r.query.get("end_time")));
    expect(ends.size).toBe(1);
    const end = Number([...ends][0]);
    expect(end).toBeGreaterThanOrEqual(before);
    expect(end).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it("takes Dates for Unix-second fields and writes array fields with the spec's wire name", async () => {
    serveBuckets(fixture(), 1);
    await client(fixture()).getCosts({
      start_time: new Date("2024-11-01T00:00:00.999Z") as unknown as number,
      end_time: new Date("2024-11-03T00:00:00Z") as unknown as number,
      group_by: ["project_id", "line_item"],
    });
    const [request] = fixture().requests("GET /v1/costs");
    expect(request?.query.get("start_time")).toBe(String(START));
    expect(request?.query.get("end_time")).toBe(String(START + 2 * DAY));
    expect(request?.query.getAll("group_by[]")).toEqual(["project_id", "line_item"]);
    expect(request?.query.has("group_by")).toBe(false);
  });

  it("refuses a window whose start is not before its end, before any request", async () => {
    const error = await rejection(
      client(fixture()).getCosts({ start_time: START + DAY, end_time: START }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(fixture().count()).toBe(0);
  });

  it("pages() yields each page's buckets; pagesReversed() is refused", async () => {
    serveBuckets(fixture(), 5);
    const pages = await collect(client(fixture()).getCosts.pages({ start_time: START }));
    expect(pages.map((page) => page.length)).toEqual([3, 2]);
    const reversed = (
      client(fixture()).getCosts as unknown as {
        pagesReversed: (i: unknown) => AsyncIterable<unknown>;
      }
    ).pagesReversed({ start_time: START });
    await expect(collect(reversed)).rejects.toThrow(/forwards only/);
  });

  it("ends with a PaginationError on a cursor that repeats (a server that loops)", async () => {
    let calls = 0;
    fixture().route("GET /v1/costs", () => {
      calls++;
      return {
        json: {
          data: [{ start_time: START + calls * DAY }],
          has_more: true,
          next_page: calls % 2 ? "page_a" : "page_b",
        },
      };
    });
    const error = await rejection(collect(client(fixture()).getCosts.all({ start_time: START })));
    expect(error).toBeInstanceOf(PaginationError);
    expect(error).toMatchObject({ reason: "repeated-cursor", page: 3 });
    expect(fixture().count("GET /v1/costs")).toBe(3);
  });

  it("ends with a PaginationError when has_more is true but no cursor is named", async () => {
    for (const next of [null, "", 42]) {
      fixture().route("GET /v1/costs", {
        json: { data: [{ start_time: START }], has_more: true, next_page: next },
      });
      const error = await rejection(collect(client(fixture()).getCosts.all({ start_time: START })));
      expect(error).toBeInstanceOf(PaginationError);
      expect(error).toMatchObject({ reason: "bad-cursor", page: 1 });
    }
  });

  it("a cursor that never ends stops at maxPages", async () => {
    let calls = 0;
    fixture().route("GET /v1/costs", () => {
      calls++;
      return {
        json: {
          data: [{ start_time: START + calls * DAY }],
          has_more: true,
          next_page: `page_${calls}`,
        },
      };
    });
    const error = await rejection(
      collect(client(fixture(), { maxPages: 4 }).getCosts.all({ start_time: START })),
    );
    expect(error).toMatchObject({ reason: "max-pages", page: 4 });
    // The fourth page was the last one requested.
    expect(fixture().count("GET /v1/costs")).toBe(4);
  });

  it("a page that repeats the one before (same buckets, new cursor) is refused", async () => {
    let calls = 0;
    fixture().route("GET /v1/costs", () => {
      calls++;
      return {
        json: { data: [{ start_time: START }], has_more: true, next_page: `page_${calls}` },
      };
    });
    const error = await rejection(collect(client(fixture()).getCosts.all({ start_time: START })));
    expect(error).toMatchObject({ reason: "repeated-page", page: 2 });
  });

  it("stops at has_more false even when a cursor is given, and on an empty last page", async () => {
    fixture().route("GET /v1/costs", { json: { data: [], has_more: false, next_page: "page_x" } });
    expect(await collect(client(fixture()).getCosts.all({ start_time: START }))).toEqual([]);
    expect(fixture().count("GET /v1/costs")).toBe(1);
  });

  it("stopping early cancels the page loading ahead", async () => {
    serveBuckets(fixture(), 30);
    const iterator = client(fixture()).getCosts.all({ start_time: START })[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    // The first page and, at most, the one loading ahead of it.
    expect(fixture().count("GET /v1/costs")).toBeLessThanOrEqual(2);
  });

  it("the caller's signal cancels the walk", async () => {
    serveBuckets(fixture(), 30);
    const controller = new AbortController();
    const seen: unknown[] = [];
    const error = await rejection(
      (async () => {
        for await (const bucket of client(fixture()).getCosts.all(
          { start_time: START },
          { signal: controller.signal },
        )) {
          seen.push(bucket);
          if (seen.length === 4) controller.abort(new Error("enough"));
        }
      })(),
    );
    expect((error as Error).message).toContain("enough");
    expect(fixture().count("GET /v1/costs")).toBeLessThanOrEqual(3);
  });
});
