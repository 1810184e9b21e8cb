// Class 2 of the hostile-network suite: bounded resources. Bodies are bounded while they stream,
// error bodies of any depth are safe to handle, and every page walk ends whatever the server does.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError, InputError, PaginationError, ResponseTooLargeError } from "../../src/index.js";
import { acmeClient, rejection, useFixture } from "../support.js";

const fixture = useFixture({ beforeEach, afterEach });

const row = (id: number) => ({ id, created_at: "2026-01-01T00:00:00Z" });
const fullPage = (page: number, size = 5) =>
  Array.from({ length: size }, (_, i) => row((page - 1) * size + i + 1));

async function drain(items: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of items) count++;
  return count;
}

describe("class 2: response bodies are bounded while they stream", () => {
  it("an endless chunked body fails with ResponseTooLargeError, and the client stops reading", async () => {
    let written = 0;
    fixture().route("GET /v1/account", async (_request, reply) => {
      reply.res.writeHead(200, { "content-type": "application/json" });
      reply.res.write('{"balance": "');
      const chunk = "9".repeat(64 * 1024);
      // Bounded: at most 64 MiB, ending as soon as the client goes away.
      while (!reply.closed && written < 64 * 1024 * 1024) {
        if (!reply.res.write(chunk))
          await new Promise((resolve) => reply.res.once("drain", resolve));
        written += chunk.length;
      }
      reply.res.end();
    });
    const error = await rejection(
      acmeClient(fixture(), { maxResponseBytes: 1024 * 1024, maxRetries: 0 }).getAccount(),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ provider: "acme", limit: 1024 * 1024, retryable: false });
    await fixture().waitFor(() => fixture().stats().inFlight === 0);
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it("a declared Content-Length over the limit fails before the body is read", async () => {
    fixture().route("GET /v1/account", { json: { balance: "x".repeat(200_000) } });
    const error = await rejection(
      acmeClient(fixture(), { maxResponseBytes: 100_000 }).getAccount(),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it("a huge error body is cut, not buffered: the ApiError keeps its status", async () => {
    fixture().route("GET /v1/account", {
      status: 400,
      headers: { "content-type": "text/plain" },
      body: "E".repeat(5 * 1024 * 1024),
    });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(String(error.body).length).toBeLessThanOrEqual(2_000);
  });

  it("an error body nested 30,000 deep: no stack overflow, and it serialises", async () => {
    const depth = 30_000;
    fixture().route("GET /v1/account", {
      status: 422,
      body: `${'{"error":'.repeat(depth)}"deep"${"}".repeat(depth)}`,
      headers: { "content-type": "application/json" },
    });
    // 300 KB: past the error-body cut, so it arrives as (cut) text; a shallower copy parses.
    const cut = await rejection(acmeClient(fixture()).getAccount());
    expect(cut).toBeInstanceOf(ApiError);
    fixture().route("GET /v1/account", {
      status: 422,
      body: `${"[".repeat(6_000)}1${"]".repeat(6_000)}`,
      headers: { "content-type": "application/json" },
    });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(ApiError);
    expect(() => JSON.stringify(error)).not.toThrow();
    expect(() => inspect(error, { depth: Infinity })).not.toThrow();
    expect(JSON.stringify(error.body)).toContain("[nested too deep]");
  });
});

describe("class 2: every page walk terminates", () => {
  it("a server that ignores the page number: PaginationError (repeated-page) after 2 pages", async () => {
    fixture().route("GET /v1/rows", { json: { items: fullPage(1), total: 1_000 } });
    const error = await rejection(
      drain(acmeClient(fixture()).listRows.all({}, { concurrency: 1 })),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.reason).toBe("repeated-page");
    expect(fixture().count("GET /v1/rows")).toBeLessThanOrEqual(3);
  });

  it("a lying huge total with pages that never end stops at maxPages", async () => {
    fixture().route("GET /v1/rows", (request) => ({
      json: { items: fullPage(Number(request.query.get("page"))), total: 1e15 },
    }));
    const error = await rejection(
      drain(acmeClient(fixture()).listRows.all({}, { maxPages: 40, concurrency: 4 })),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.reason).toBe("max-pages");
    expect(fixture().count("GET /v1/rows")).toBe(40);
  });

  it("no total and pages that never shrink stop at the client's maxPages", async () => {
    fixture().route("GET /v1/events", (request) => ({
      json: { items: fullPage(Number(request.query.get("page"))) },
    }));
    const error = await rejection(drain(acmeClient(fixture(), { maxPages: 25 }).listEvents.all()));
    expect(error.reason).toBe("max-pages");
    expect(fixture().count("GET /v1/events")).toBe(25);
  });

  it("an empty page ends the walk, whatever the total says", async () => {
    fixture().route("GET /v1/rows", (request) => {
      const page = Number(request.query.get("page"));
      return { json: { items: page <= 2 ? fullPage(page) : [], total: 1e9 } };
    });
    expect(await drain(acmeClient(fixture()).listRows.all({}, { concurrency: 1 }))).toBe(10);
  });

  it("a total that grows on every page does not extend the walk", async () => {
    fixture().route("GET /v1/rows", (request) => {
      const page = Number(request.query.get("page"));
      return { json: { items: fullPage(page), total: 10 * page } };
    });
    expect(await drain(acmeClient(fixture()).listRows.all())).toBe(10);
  });

  it("page numbers never leave the safe-integer range", async () => {
    const error = await rejection(drain(acmeClient(fixture()).listRows.all({ page: 2 ** 53 })));
    expect(error).toBeInstanceOf(InputError);
    expect(fixture().count()).toBe(0);
    const near = Number.MAX_SAFE_INTEGER - 1;
    const seen: number[] = [];
    fixture().route("GET /v1/rows", (request) => {
      const page = Number(request.query.get("page"));
      seen.push(page);
      return { json: { items: fullPage(page - near + 1), total: 1e18 } };
    });
    await rejection(drain(acmeClient(fixture()).listRows.all({ page: near })));
    expect(seen.every((page) => Number.isSafeInteger(page))).toBe(true);
  });
});

describe("class 2: the backwards walk (newest-first lists) terminates too", () => {
  it("a total too large for maxPages fails before any page past the first is asked for", async () => {
    fixture().route("GET /v1/rows", { json: { items: fullPage(1), total: 1e15 } });
    const error = await rejection(drain(acmeClient(fixture()).listRows.pagesReversed()));
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.reason).toBe("max-pages");
    expect(fixture().count("GET /v1/rows")).toBe(1);
  });

  it("no usable total: PaginationError (bad-total)", async () => {
    for (const total of [undefined, "lots", -5, 1.5, "1e400"]) {
      fixture().route("GET /v1/rows", { json: { items: fullPage(1), total } });
      const error = await rejection(drain(acmeClient(fixture()).listRows.pagesReversed()));
      expect(error.reason).toBe("bad-total");
    }
  });

  it("a short first page is the whole list, whatever the total says", async () => {
    fixture().route("GET /v1/rows", { json: { items: fullPage(1, 2), total: 47 } });
    const pages: unknown[][] = [];
    for await (const page of acmeClient(fixture()).listRows.pagesReversed()) pages.push(page);
    expect(pages).toEqual([[row(2), row(1)]]);
    expect(fixture().count()).toBe(1);
  });

  it("a repeated page fails; past-the-end empty pages are passed over", async () => {
    fixture().route("GET /v1/rows", { json: { items: fullPage(1), total: 15 } });
    const repeated = await rejection(drain(acmeClient(fixture()).listRows.pagesReversed()));
    expect(repeated.reason).toBe("repeated-page");
    fixture().route("GET /v1/rows", (request) => {
      const page = Number(request.query.get("page"));
      return { json: { items: page <= 2 ? fullPage(page) : [], total: 25 } };
    });
    const pages: unknown[][] = [];
    for await (const page of acmeClient(fixture()).listRows.pagesReversed()) pages.push(page);
    expect(pages.flat().map((r) => (r as { id: number }).id)).toEqual([
      10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
  });
});
