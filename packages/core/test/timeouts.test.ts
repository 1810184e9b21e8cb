import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ServerError, TimeoutError } from "../src/index.js";
import { acmeClient, rejection, sequence, useFixture } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });
const ACCOUNT = { balance: 12.5 };

describe("timeouts (per attempt)", () => {
  it("a slow response past the timeout is a TimeoutError, retried for a safe operation", async () => {
    fixture().route("GET /v1/account", (_, reply) => reply.hang());
    const error = await rejection(acmeClient(fixture(), { timeout: 200 }).getAccount());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ provider: "acme", timeout: 200, retryable: true });
    expect(error.message).toBe("acme: request timed out after 200 ms");
    expect(fixture().count("GET /v1/account")).toBe(3);
    // Each attempt's request was cancelled, not left running.
    await fixture().waitFor(() => fixture().stats("GET /v1/account").aborted === 3);
  });

  it("a slow first attempt is retried and the second succeeds", async () => {
    fixture().route(
      "GET /v1/account",
      sequence((_, reply) => reply.hang(), { json: ACCOUNT }),
    );
    await expect(acmeClient(fixture(), { timeout: 200 }).getAccount()).resolves.toEqual(ACCOUNT);
    expect(fixture().count("GET /v1/account")).toBe(2);
  });

  it("covers the body read: headers on time, then a body that stalls", async () => {
    fixture().route("GET /v1/account", (_, reply) =>
      reply.partial('{"balance": 1', { close: false }),
    );
    const error = await rejection(
      acmeClient(fixture(), { timeout: 200, maxRetries: 0 }).getAccount(),
    );
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it("the call's timeout overrides the client's", async () => {
    fixture().route("GET /v1/account", (_, reply) => reply.hang());
    const client = acmeClient(fixture(), { timeout: 60_000 });
    const error = await rejection(client.getAccount({}, { timeout: 100, maxRetries: 0 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.timeout).toBe(100);
  });

  it("a write that times out was sent exactly once and is not retryable", async () => {
    fixture().route("POST /v1/topup", (_, reply) => reply.hang());
    // Long enough for the request to arrive even on a loaded machine.
    const client = acmeClient(fixture(), { timeout: 1_000, maxRetries: 5 });
    const error = await rejection(client.topUp({ amount_cents: "100" }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.retryable).toBe(false);
    expect(fixture().count("POST /v1/topup")).toBe(1);
  });

  it("works with a custom fetch that ignores the signal", async () => {
    const deaf: typeof fetch = () => new Promise<Response>(() => {});
    const client = acmeClient(fixture(), { timeout: 30, maxRetries: 1, fetch: deaf });
    const error = await rejection(client.getAccount());
    expect(error).toBeInstanceOf(TimeoutError);
  });
});

describe("the caller's AbortSignal", () => {
  it("before the call: rejects with the reason, and nothing is sent", async () => {
    fixture().route("GET /v1/account", { json: ACCOUNT });
    const reason = new Error("user cancelled");
    const error = await rejection(
      acmeClient(fixture()).getAccount({}, { signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
    expect(fixture().count()).toBe(0);
  });

  it("while the request is in flight: cancels it and rejects with the reason", async () => {
    fixture().route("GET /v1/account", (_, reply) => reply.hang());
    const controller = new AbortController();
    const pending = rejection(acmeClient(fixture()).getAccount({}, { signal: controller.signal }));
    await fixture().waitFor(() => fixture().count("GET /v1/account") === 1);
    const reason = new Error("stop now");
    controller.abort(reason);
    expect(await pending).toBe(reason);
    await fixture().waitFor(() => fixture().stats("GET /v1/account").aborted === 1);
    expect(fixture().count("GET /v1/account")).toBe(1);
  });

  it("a write in flight: rejects with the reason, not a ConnectionError", async () => {
    fixture().route("POST /v1/topup", (_, reply) => reply.hang());
    const controller = new AbortController();
    const pending = rejection(
      acmeClient(fixture()).topUp({ amount_cents: "100" }, { signal: controller.signal }),
    );
    await fixture().waitFor(() => fixture().count("POST /v1/topup") === 1);
    const reason = new Error("changed my mind");
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(fixture().count("POST /v1/topup")).toBe(1);
  });

  it("during the body read: rejects with the reason", async () => {
    fixture().route("GET /v1/account", (_, reply) =>
      reply.partial('{"balance": 1', { close: false }),
    );
    const controller = new AbortController();
    const reason = new Error("enough");
    // Abort once the response (status and headers) has arrived and its body is being read.
    const abortOnHeaders: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      setTimeout(() => controller.abort(reason), 5);
      return response;
    };
    const client = acmeClient(fixture(), { fetch: abortOnHeaders });
    const error = await rejection(client.getAccount({}, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(fixture().count("GET /v1/account")).toBe(1);
    await fixture().waitFor(() => fixture().stats("GET /v1/account").aborted === 1);
  });

  it("during a retry wait: rejects with the reason at once, and sends nothing more", async () => {
    // The server asks for a 30 s wait; without the abort the call would outlive the test.
    fixture().route("GET /v1/account", {
      status: 503,
      headers: { "retry-after": "30" },
      json: { error: { message: "later" } },
    });
    const timers = vi.spyOn(globalThis, "setTimeout");
    try {
      const controller = new AbortController();
      const client = acmeClient(fixture(), {
        backoff: { initialDelay: 1, maxDelay: 5, maxServerDelay: 60_000 },
      });
      const pending = rejection(client.getAccount({}, { signal: controller.signal }));
      // Abort once the client is waiting: its 30 s timer has been set.
      await fixture().waitFor(() => timers.mock.calls.some(([, ms]) => ms === 30_000));
      const reason = new Error("not waiting");
      controller.abort(reason);
      expect(await pending).toBe(reason);
      expect(fixture().count("GET /v1/account")).toBe(1);
    } finally {
      timers.mockRestore();
    }
  }, 3_000);

  it("a reason-less abort surfaces as the signal's default AbortError", async () => {
    fixture().route("GET /v1/account", (_, reply) => reply.hang());
    const controller = new AbortController();
    const pending = rejection(acmeClient(fixture()).getAccount({}, { signal: controller.signal }));
    await fixture().waitFor(() => fixture().count() === 1);
    controller.abort();
    const error = await pending;
    expect(error).toBe(controller.signal.reason);
    expect(error.name).toBe("AbortError");
  });

  it("an AbortSignal.timeout() deadline spans attempts and waits, unlike `timeout`", async () => {
    fixture().route("GET /v1/account", {
      status: 503,
      headers: { "retry-after": "30" },
      json: { error: { message: "later" } },
    });
    const client = acmeClient(fixture(), {
      backoff: { initialDelay: 1, maxDelay: 5, maxServerDelay: 60_000 },
    });
    const error = await rejection(client.getAccount({}, { signal: AbortSignal.timeout(100) }));
    expect(error).not.toBeInstanceOf(ServerError);
    expect(error.name).toBe("TimeoutError"); // the DOMException of AbortSignal.timeout()
    expect(error).not.toBeInstanceOf(TimeoutError);
    // One attempt at most (none when a loaded machine takes the whole 100 ms to send it): the
    // 30 s wait for the retry was cut short by the deadline.
    expect(fixture().count("GET /v1/account")).toBeLessThanOrEqual(1);
  }, 3_000);
});
