import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, InputError } from "../src/index.js";
import { API_KEY, acmeClient, bearer, operations, rejection, useFixture } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

describe("input is checked against the spec before anything is sent", () => {
  it.each([
    [{ page_size: 0 }, "page_size", "minimum", "page_size: must be at least 1, got 0"],
    [{ page_size: 6 }, "page_size", "maximum", "page_size: must be at most 5, got 6"],
    [{ page: 1.5 }, "page", "type", "page: must be an integer, got 1.5"],
    [{ page: "2" }, "page", "type", "page: must be an integer, got string"],
    [{ kind: "bonus" }, "kind", "enum", 'kind: must be one of "topup", "refund", got "bonus"'],
    [{ since: "yesterday" }, "since", "format", undefined],
    [{ since: "2026-02-30T00:00:00Z" }, "since", "format", undefined],
    [
      { since: "2026-06-01T00:00:00Z", until: "2026-05-01T00:00:00Z" },
      "since",
      "window",
      "since: must be before until",
    ],
    [
      { since: "2026-06-01T00:00:00Z", until: "2026-06-01T00:00:00Z" },
      "since",
      "window",
      undefined,
    ],
    [{ pagesize: 10 }, "pagesize", "unknown", undefined],
    [{ toString: 1 }, "toString", "unknown", undefined],
  ])("listRows(%j) → InputError on %s (%s)", async (input, field, rule, message) => {
    const error = await rejection(acmeClient(fixture()).listRows(input as never));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field, rule, retryable: false });
    if (message) expect(error.message).toBe(message);
    expect(fixture().count()).toBe(0);
  });

  it("required body fields and patterns", async () => {
    const client = acmeClient(fixture());
    expect(await rejection(client.topUp({} as never))).toMatchObject({
      field: "amount_cents",
      rule: "required",
    });
    expect(await rejection(client.topUp({ amount_cents: "12.50" }))).toMatchObject({
      field: "amount_cents",
      rule: "pattern",
    });
    expect(await rejection(client.topUp("5000" as never))).toMatchObject({
      field: "",
      rule: "type",
    });
    expect(fixture().count()).toBe(0);
  });

  it("the same checks apply to .all() before its first page", async () => {
    const error = await rejection(
      (async () => {
        for await (const _ of acmeClient(fixture()).listRows.all({ kind: "bonus" as never })) {
          // nothing
        }
      })(),
    );
    expect(error).toMatchObject({ field: "kind", rule: "enum" });
    expect(fixture().count()).toBe(0);
  });
});

describe("call options are checked before anything is sent", () => {
  it.each([
    [{ timeout: 0 }, "timeout", "minimum"],
    [{ timeout: -5 }, "timeout", "minimum"],
    [{ timeout: Number.NaN }, "timeout", "type"],
    [{ timeout: "100" }, "timeout", "type"],
    [{ timeout: 3_000_000_000 }, "timeout", "maximum"],
    [{ maxRetries: -1 }, "maxRetries", "minimum"],
    [{ maxRetries: 1.5 }, "maxRetries", "type"],
    [{ maxRetries: Number.POSITIVE_INFINITY }, "maxRetries", "type"],
    [{ signal: {} }, "signal", "type"],
    [{ signal: "stop" }, "signal", "type"],
    [{ headers: "x" }, "headers", "type"],
  ])("%j → InputError on %s (%s)", async (options, field, rule) => {
    const error = await rejection(acmeClient(fixture()).getAccount({}, options as never));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field, rule });
    expect(fixture().count()).toBe(0);
  });

  it("accepts absent options, as fetch does a null signal", async () => {
    fixture().route("GET /v1/account", { json: { balance: 1 } });
    const client = acmeClient(fixture());
    await expect(client.getAccount({}, { signal: null } as never)).resolves.toEqual({ balance: 1 });
    await expect(client.getAccount(undefined, undefined)).resolves.toEqual({ balance: 1 });
  });

  it.each([
    [{ concurrency: 0 }, "concurrency", "minimum"],
    [{ concurrency: 2.5 }, "concurrency", "type"],
    [{ timeout: -1 }, "timeout", "minimum"],
  ])(".all(query, %j) → InputError on %s (%s)", async (options, field, rule) => {
    const iterator = acmeClient(fixture()).listRows.all({}, options as never);
    const error = await rejection(iterator[Symbol.asyncIterator]().next());
    expect(error).toMatchObject({ field, rule });
    expect(fixture().count()).toBe(0);
  });
});

describe("client options", () => {
  const make = (options: object) => () =>
    createClient(bearer, operations, { apiKey: API_KEY, ...options } as never);

  it.each([
    [{ apiKey: "" }, "apiKey", "required"],
    [{ apiKey: undefined }, "apiKey", "required"],
    [{ apiKey: "sk-abc\ndef" }, "apiKey", "format"],
    [{ apiKey: "sk abc" }, "apiKey", "format"],
    [{ baseUrl: "ftp://x" }, "baseUrl", "format"],
    [{ baseUrl: "api.acme.test" }, "baseUrl", "format"],
    [{ timeout: 0 }, "timeout", "minimum"],
    [{ maxRetries: -1 }, "maxRetries", "minimum"],
    [{ fetch: "fetch" }, "fetch", "type"],
    [{ backoff: { initialDelay: -1 } }, "backoff.initialDelay", "minimum"],
    [{ backoff: 5 }, "backoff", "type"],
  ])("%j → InputError on %s (%s)", (options, field, rule) => {
    expect(make(options)).toThrow(InputError);
    try {
      make(options)();
    } catch (error) {
      expect(error).toMatchObject({ field, rule });
      expect(String((error as Error).message)).not.toContain("sk-abc");
    }
  });

  it("a key with surrounding whitespace (a line break from a .env file) is trimmed", async () => {
    fixture().route("GET /v1/account", { json: { balance: 1 } });
    const client = acmeClient(fixture(), { apiKey: `  ${API_KEY}\r\n` });
    await expect(client.getAccount()).resolves.toEqual({ balance: 1 });
    expect(fixture().requests()[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("sends the key as a bearer token and the configured headers", async () => {
    fixture().route("GET /v1/account", { json: { balance: 1 } });
    const client = acmeClient(fixture(), { headers: { "x-team": "t1" } });
    await client.getAccount({}, { headers: { "x-call": "c1" } });
    expect(fixture().requests()[0]?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      "x-team": "t1",
      "x-call": "c1",
    });
  });
});
