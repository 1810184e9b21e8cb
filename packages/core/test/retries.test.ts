import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ApiError,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from "../src/index.js";
import { acmeClient, rejection, sequence, useFixture } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

const ACCOUNT = { balance: 12.5 };
const unavailable = { status: 503, json: { error: { type: "overloaded", message: "busy" } } };

/**
 * Answers like a real rate limiter: a 429 with `headers` the first time, and 429 again to any
 * request that comes back before `readyAt()`; 200 afterwards. A client that does not wait as
 * told fails the call, so the test checks the outcome, not a duration.
 */
function rateLimiter(headers: () => Record<string, string>, readyAt: (sentAt: number) => number) {
  let ready = Number.POSITIVE_INFINITY;
  return () => {
    if (Date.now() >= ready) return { json: ACCOUNT };
    const sent = headers();
    if (ready === Number.POSITIVE_INFINITY) ready = readyAt(Date.now());
    return {
      status: 429,
      headers: sent,
      json: { error: { type: "rate_limited", message: "slow down" } },
    };
  };
}

describe("retries of retry-safe operations", () => {
  it("waits as a 429's Retry-After (seconds) says, then succeeds", async () => {
    fixture().route(
      "GET /v1/account",
      rateLimiter(
        () => ({ "retry-after": "1" }),
        (sentAt) => sentAt + 900,
      ),
    );
    const client = acmeClient(fixture(), { maxRetries: 1 });
    await expect(client.getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  });

  it("waits until a 429's X-RateLimit-Reset (unix seconds), then succeeds", async () => {
    let reset = 0;
    fixture().route(
      "GET /v1/account",
      rateLimiter(
        () => {
          reset = Math.floor(Date.now() / 1000) + 1;
          return { "x-ratelimit-reset": String(reset) };
        },
        () => reset * 1000 - 50,
      ),
    );
    const client = acmeClient(fixture(), { maxRetries: 1 });
    await expect(client.getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  });

  it("caps a server's wait at backoff.maxServerDelay and retries then", async () => {
    fixture().route(
      "GET /v1/account",
      sequence({ ...unavailable, headers: { "retry-after": "3600" } }, { json: ACCOUNT }),
    );
    const client = acmeClient(fixture(), {
      backoff: { initialDelay: 1, maxDelay: 5, maxServerDelay: 10 },
    });
    await expect(client.getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  });

  it("ignores X-RateLimit-Reset on a response that was not rate limited", async () => {
    // Many APIs send the header on every response; an hour away must not stall a 503 retry.
    const inAnHour = String(Math.floor(Date.now() / 1000) + 3600);
    fixture().route(
      "GET /v1/account",
      sequence({ ...unavailable, headers: { "x-ratelimit-reset": inAnHour } }, { json: ACCOUNT }),
    );
    const client = acmeClient(fixture(), {
      backoff: { initialDelay: 1, maxDelay: 5, maxServerDelay: 60_000 },
    });
    await expect(client.getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  }, 3_000);

  it("gives up on a 503 storm after maxRetries + 1 requests, with a retryable ServerError", async () => {
    fixture().route("GET /v1/account", unavailable);
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      provider: "acme",
      status: 503,
      type: "overloaded",
      retryable: true,
    });
    expect(fixture().count("GET /v1/account")).toBe(3);
  });

  it("takes maxRetries from the client and from the call", async () => {
    fixture().route("GET /v1/account", unavailable);
    await rejection(acmeClient(fixture(), { maxRetries: 4 }).getAccount());
    expect(fixture().count("GET /v1/account")).toBe(5);
    await rejection(acmeClient(fixture(), { maxRetries: 4 }).getAccount({}, { maxRetries: 0 }));
    expect(fixture().count("GET /v1/account")).toBe(6);
  });

  it.each([408, 429, 500, 502, 503, 504])("retries a %i", async (status) => {
    fixture().route(
      "GET /v1/account",
      sequence({ status, headers: { "retry-after": "0" } }, { json: ACCOUNT }),
    );
    await expect(acmeClient(fixture()).getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  });

  it.each([400, 401, 403, 404, 409, 422, 501])("does not retry a %i", async (status) => {
    fixture().route("GET /v1/account", { status, json: { error: { message: "no" } } });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.retryable).toBe(false);
    expect(fixture().count("GET /v1/account")).toBe(1);
  });

  it("retries after a connection reset, then succeeds", async () => {
    fixture().route(
      "GET /v1/account",
      sequence((_, reply) => reply.reset(), { json: ACCOUNT }),
    );
    await expect(acmeClient(fixture()).getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  });

  it("retries a body cut off mid-way (Content-Length not reached), then succeeds", async () => {
    fixture().route(
      "GET /v1/account",
      sequence((_, reply) => reply.partial('{"balance": 12'), { json: ACCOUNT }),
    );
    await expect(acmeClient(fixture()).getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  });

  it("retries an HTML 503 as its Retry-After says", async () => {
    fixture().route(
      "GET /v1/account",
      sequence(
        {
          status: 503,
          headers: { "content-type": "text/html", "retry-after": "0" },
          body: "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
        },
        { json: ACCOUNT },
      ),
    );
    await expect(acmeClient(fixture()).getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  });

  it("retries a read-only POST marked retry-safe", async () => {
    fixture().route("POST /v1/search", unavailable);
    const error = await rejection(acmeClient(fixture()).search({ query: "gpu" }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.retryable).toBe(true);
    expect(fixture().count("POST /v1/search")).toBe(3);
    // The body is sent again, whole, with every attempt.
    expect(
      fixture()
        .requests("POST /v1/search")
        .map((r) => r.json()),
    ).toEqual([{ query: "gpu" }, { query: "gpu" }, { query: "gpu" }]);
  });
});

describe("a money-moving write is sent exactly once, whatever happens", () => {
  const topUp = { amount_cents: "5000" };

  it("under a 503 (server counts one request)", async () => {
    fixture().route("POST /v1/topup", { ...unavailable, headers: { "retry-after": "0" } });
    const error = await rejection(acmeClient(fixture(), { maxRetries: 5 }).topUp(topUp));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.retryable).toBe(false);
    expect(fixture().count("POST /v1/topup")).toBe(1);
  });

  it("under a 429 with Retry-After", async () => {
    fixture().route("POST /v1/topup", { status: 429, headers: { "retry-after": "0" } });
    const error = await rejection(acmeClient(fixture()).topUp(topUp, { maxRetries: 3 }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(false);
    expect(fixture().count("POST /v1/topup")).toBe(1);
  });

  it("under a connection reset", async () => {
    fixture().route("POST /v1/topup", (_, reply) => reply.reset());
    const error = await rejection(acmeClient(fixture()).topUp(topUp));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.retryable).toBe(false);
    expect(fixture().count("POST /v1/topup")).toBe(1);
  });

  it("under a truncated or unreadable 200 (the server may have booked it)", async () => {
    fixture().route("POST /v1/topup", (_, reply) => reply.partial('{"ok": tr'));
    const cut = await rejection(acmeClient(fixture()).topUp(topUp));
    expect(cut).toBeInstanceOf(ConnectionError);
    expect(cut.retryable).toBe(false);
    fixture().route("POST /v1/topup", { body: '{"ok": tr' });
    const unreadable = await rejection(acmeClient(fixture()).topUp(topUp));
    expect(unreadable).toBeInstanceOf(ApiError);
    expect(unreadable).toMatchObject({ status: 200, retryable: false });
    expect(fixture().count("POST /v1/topup")).toBe(2);
  });
});

describe("retryable", () => {
  it("is true for a transient failure of a safe operation only", async () => {
    fixture().route("GET /v1/account", { status: 404, json: { error: { message: "gone" } } });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.retryable).toBe(false);
  });
});
