import { type Fixture, type FixtureRequest, startFixture } from "@spendkit/mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pacedFetch } from "../src/index.js";

/**
 * A server that enforces a limit of `limit` requests per fixed window of `windowMs`, answers
 * 429 above it, and states the limit the way ByteSpike does (when `stated`).
 */
function limited(limit: number, windowMs: number, stated: boolean) {
  let windowStart = 0;
  let used = 0;
  const counts = { ok: 0, limited: 0 };
  const handler = (_request: FixtureRequest) => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      used = 0;
    }
    const reset = Math.ceil((windowStart + windowMs) / 1000);
    const headers: Record<string, string> = stated
      ? {
          "x-ratelimit-limit": String(limit),
          "x-ratelimit-remaining": String(Math.max(0, limit - used - 1)),
          "x-ratelimit-reset": String(reset),
        }
      : {};
    if (used >= limit) {
      counts.limited++;
      return {
        status: 429,
        json: { error: "slow down" },
        headers: { ...headers, "retry-after": "1" },
      };
    }
    used++;
    counts.ok++;
    return { json: { ok: true }, headers };
  };
  return Object.assign(handler, { counts });
}

let fixture: Fixture;
beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.stop();
});
beforeEach(() => fixture.reset());

async function burst(fetchFn: typeof fetch, count: number, concurrency: number) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const response = await fetchFn(`${fixture.url}/rows`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe("pacedFetch", () => {
  it("without pacing, the same burst runs into the limit (the control)", async () => {
    const server = limited(5, 1_000, true);
    fixture.route("GET /rows", server);
    await burst(fetch, 12, 3);
    expect(server.counts.limited).toBeGreaterThan(0);
  });

  it("follows the stated X-RateLimit headers: no 429 however many requests run at once", async () => {
    const server = limited(5, 1_000, true);
    fixture.route("GET /rows", server);
    const paced = pacedFetch();
    await burst(paced, 12, 3);
    expect(server.counts).toEqual({ ok: 12, limited: 0 });
    expect(paced.stats).toMatchObject({ requests: 12, rateLimited: 0 });
  });

  it("keeps to the configured requests per minute where the server states nothing", async () => {
    // 100 per minute = one per 600 ms; the server allows 2 per 1 s window.
    const server = limited(2, 1_000, false);
    fixture.route("GET /rows", server);
    const paced = pacedFetch({ requestsPerMinute: 100 });
    await burst(paced, 6, 3);
    expect(server.counts).toEqual({ ok: 6, limited: 0 });
  });

  it("passes a 429 through, and holds every request back until its Retry-After", async () => {
    let first = true;
    fixture.route("GET /rows", () => {
      if (first) {
        first = false;
        return { status: 429, json: {}, headers: { "retry-after": "0" } };
      }
      return { json: { ok: true } };
    });
    const paced = pacedFetch();
    expect((await paced(`${fixture.url}/rows`)).status).toBe(429);
    expect((await paced(`${fixture.url}/rows`)).status).toBe(200);
    expect(paced.stats).toMatchObject({ requests: 2, rateLimited: 1 });
  });

  it("gives up waiting when the request is aborted", async () => {
    fixture.route("GET /rows", {
      json: {},
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 3_600),
      },
    });
    const paced = pacedFetch();
    await (await paced(`${fixture.url}/rows`)).arrayBuffer();
    const controller = new AbortController();
    const waiting = paced(`${fixture.url}/rows`, { signal: controller.signal });
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(fixture.count("GET /rows")).toBe(1);
  });
});
