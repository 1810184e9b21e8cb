import { describe, expect, it } from "vitest";
import { abortable, backoffDelay, isTransientStatus, serverDelay, sleep } from "../src/retry.js";

describe("backoffDelay (full jitter)", () => {
  it("draws from 0 up to the exponential ceiling", () => {
    expect(backoffDelay(0, {}, () => 0.999)).toBe(499);
    expect(backoffDelay(2, {}, () => 0.5)).toBe(1_000);
    expect(backoffDelay(0, {}, () => 0)).toBe(0);
  });
  it("never exceeds the cap, however many attempts", () => {
    expect(backoffDelay(30, {}, () => 0.999)).toBe(7_992);
    expect(backoffDelay(3, { initialDelay: 1, maxDelay: 4 }, () => 0.999)).toBe(3);
  });
});

describe("serverDelay", () => {
  const now = Date.parse("2026-11-23T12:00:00Z");
  it("reads Retry-After in seconds", () => {
    expect(serverDelay(new Headers({ "retry-after": "3" }), now)).toBe(3_000);
    expect(serverDelay(new Headers({ "retry-after": "0.25" }), now)).toBe(250);
  });
  it("reads Retry-After as an HTTP date", () => {
    expect(serverDelay(new Headers({ "retry-after": "Mon, 23 Nov 2026 12:00:05 GMT" }), now)).toBe(
      5_000,
    );
  });
  it("reads X-RateLimit-Reset in unix seconds", () => {
    expect(serverDelay(new Headers({ "x-ratelimit-reset": String(now / 1000 + 7) }), now)).toBe(
      7_000,
    );
  });
  it("reads a small X-RateLimit-Reset as seconds from now", () => {
    expect(serverDelay(new Headers({ "x-ratelimit-reset": "30" }), now)).toBe(30_000);
  });
  it("reads X-RateLimit-Reset only for a rate-limited response", () => {
    const headers = new Headers({ "x-ratelimit-reset": String(now / 1000 + 7) });
    expect(serverDelay(headers, now, false)).toBeUndefined();
    expect(serverDelay(new Headers({ "retry-after": "2" }), now, false)).toBe(2_000);
  });
  it("never asks for a negative wait", () => {
    expect(serverDelay(new Headers({ "retry-after": "Mon, 23 Nov 2026 11:00:00 GMT" }), now)).toBe(
      0,
    );
    expect(serverDelay(new Headers({ "x-ratelimit-reset": String(now / 1000 - 60) }), now)).toBe(0);
  });
  it("prefers Retry-After and ignores what it cannot read", () => {
    expect(
      serverDelay(new Headers({ "retry-after": "2", "x-ratelimit-reset": "99999999999" }), now),
    ).toBe(2_000);
    expect(serverDelay(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(serverDelay(new Headers(), now)).toBeUndefined();
  });
});

describe("isTransientStatus", () => {
  it.each([408, 429, 500, 502, 503, 504])("%i is transient", (status) => {
    expect(isTransientStatus(status)).toBe(true);
  });
  it.each([400, 401, 403, 404, 409, 422, 501])("%i is not", (status) => {
    expect(isTransientStatus(status)).toBe(false);
  });
});

describe("sleep", () => {
  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });
  it("rejects at once for a signal that is already aborted", async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error("late")))).rejects.toThrow("late");
  });
  it("resolves after the delay", async () => {
    await expect(sleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });
});

describe("abortable", () => {
  it("settles like the promise while the signal holds", async () => {
    await expect(abortable(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1);
    await expect(abortable(Promise.reject(new Error("x")))).rejects.toThrow("x");
  });
  it("rejects with the signal's reason when it aborts first", async () => {
    const controller = new AbortController();
    const pending = abortable(new Promise(() => {}), controller.signal);
    const reason = new Error("gone");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
