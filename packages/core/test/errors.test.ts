import { createServer } from "node:net";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InputError,
  NotFoundError,
  RateLimitError,
  ServerError,
  SpendkitError,
  TimeoutError,
} from "../src/index.js";
import { API_KEY, acmeClient, rejection, sequence, useFixture, wavyClient } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

/** A loopback URL where nothing listens. */
async function deadUrl(): Promise<string> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe("every failure is a typed error with the details a caller needs", () => {
  it("an HTML 502 page → ServerError with a sane message and the page as text", async () => {
    const page =
      "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    fixture().route("GET /v1/account", {
      status: 502,
      headers: { "content-type": "text/html", "x-request-id": "req_502" },
      body: page,
    });
    const error = await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount());
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe("acme: 502 Bad Gateway");
    expect(error).toMatchObject({
      provider: "acme",
      status: 502,
      code: undefined,
      type: undefined,
      requestId: "req_502",
      retryable: true,
      body: page,
    });
  });

  it("a JSON error body → provider code, type, message and request id", async () => {
    fixture().route("GET /v1/account", {
      status: 400,
      headers: { "request-id": "req_abc" },
      json: {
        error: { type: "invalid_request_error", code: "bad_kind", message: "kind is wrong" },
      },
    });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.constructor).toBe(ApiError);
    expect(error.message).toBe("acme: 400 kind is wrong");
    expect(error).toMatchObject({
      status: 400,
      code: "bad_kind",
      type: "invalid_request_error",
      requestId: "req_abc",
      retryable: false,
    });
  });

  it.each([
    [401, AuthenticationError],
    [403, AuthenticationError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, ServerError],
    [504, ServerError],
  ])("status %i → %o", async (status, Class) => {
    fixture().route("GET /v1/account", { status, json: { error: { message: "x" } } });
    const error = await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount());
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(SpendkitError);
    expect(error.name).toBe(Class.name);
  });

  it("a plain-text error body becomes the message", async () => {
    fixture().route("GET /v1/account", { status: 503, body: "upstream connect error\n" });
    const error = await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount());
    expect(error.message).toBe("acme: 503 upstream connect error");
  });

  it("truncated JSON in a complete response → ApiError, retried for a safe operation", async () => {
    fixture().route("GET /v1/account", {
      body: '{"balance": 12.5, "curr',
      headers: { "x-request-id": "r1" },
    });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe("acme: 200 response body is not valid JSON");
    expect(error).toMatchObject({ status: 200, requestId: "r1", retryable: true });
    expect(error.body).toBe('{"balance": 12.5, "curr');
    expect(fixture().count("GET /v1/account")).toBe(3);
  });

  it("a body cut off before its Content-Length → ConnectionError after the retries", async () => {
    fixture().route("GET /v1/account", (_, reply) => reply.partial('{"balance": 12'));
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ provider: "acme", retryable: true });
    expect(error.message).toMatch(/^acme: connection failed: /);
    expect(fixture().count("GET /v1/account")).toBe(3);
  });

  it("an empty 200 → ApiError (not an undefined payload)", async () => {
    fixture().route("GET /v1/account", { body: "" });
    const error = await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe("acme: 200 response body is empty");
  });

  it("an HTML 200 from a proxy → ApiError", async () => {
    fixture().route("GET /v1/account", {
      body: "<html>login</html>",
      headers: { "content-type": "text/html" },
    });
    const error = await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, body: "<html>login</html>" });
  });

  it("a 204 is an empty payload, not an error", async () => {
    fixture().route("GET /v1/account", { status: 204 });
    await expect(acmeClient(fixture()).getAccount()).resolves.toBeUndefined();
  });

  it("a connection refused → ConnectionError naming the cause", async () => {
    const client = acmeClient(fixture(), { baseUrl: await deadUrl(), maxRetries: 1 });
    const error = await rejection(client.getAccount());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain("ECONNREFUSED");
  });
});

describe("an envelope that reports failure under HTTP 200", () => {
  it("→ ApiError with the envelope's code and message, not retried", async () => {
    fixture().route("GET /api/v3/balance", {
      headers: { "x-request-id": "w-1" },
      json: { code: 1001, message: "insufficient permissions", data: null },
    });
    const error = await rejection(wavyClient(fixture()).getBalance());
    expect(error.constructor).toBe(ApiError);
    expect(error.message).toBe("wavy: 200 insufficient permissions");
    expect(error).toMatchObject({
      provider: "wavy",
      status: 200,
      code: 1001,
      requestId: "w-1",
      retryable: false,
    });
    expect(fixture().count("GET /api/v3/balance")).toBe(1);
  });

  it("is classified by its code: 401 → AuthenticationError, 500 → retried ServerError", async () => {
    fixture().route("GET /api/v3/balance", { json: { code: 401, message: "bad key", data: null } });
    expect(await rejection(wavyClient(fixture()).getBalance())).toBeInstanceOf(AuthenticationError);
    fixture().route(
      "GET /api/v3/balance",
      sequence(
        { json: { code: 500, message: "oops" } },
        { json: { code: 200, data: { balance: 3 } } },
      ),
    );
    await expect(wavyClient(fixture()).getBalance()).resolves.toEqual({ balance: 3 });
  });

  it("is classified by the envelope's code even when the body also has a textual error_code", async () => {
    fixture().route(
      "GET /api/v3/balance",
      sequence(
        { json: { code: 503, error_code: "upstream_busy", message: "busy" } },
        { json: { code: 200, data: { balance: 5 } } },
      ),
    );
    await expect(wavyClient(fixture()).getBalance()).resolves.toEqual({ balance: 5 });
    fixture().route("GET /api/v3/balance", {
      json: { code: 403, error_code: "key_disabled", message: "key disabled" },
    });
    const error = await rejection(wavyClient(fixture()).getBalance());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 200, code: "key_disabled" });
  });

  it("unwraps data on success", async () => {
    fixture().route("GET /api/v3/balance", {
      json: { code: 200, message: "success", data: { balance: 7 } },
    });
    await expect(wavyClient(fixture()).getBalance()).resolves.toEqual({ balance: 7 });
  });

  it("a body without the envelope's code → ApiError", async () => {
    fixture().route("GET /api/v3/balance", { json: { balance: 7 } });
    const error = await rejection(wavyClient(fixture()).getBalance());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('wavy: 200 response lacks the "code" field');
  });
});

describe("the API key never appears in an error", () => {
  const forms = (error: unknown): string[] => {
    const out = [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error)];
    for (let e: any = error, depth = 0; e != null && depth < 10; e = e.cause, depth++) {
      out.push(
        String(e?.message),
        String(e?.stack),
        inspect(e, { depth: Infinity, showHidden: true }),
      );
    }
    return out;
  };
  const expectNoKey = (error: unknown) => {
    for (const form of forms(error)) {
      expect(form).not.toContain(API_KEY);
      expect(form).not.toContain(API_KEY.slice(3));
    }
  };

  it("when the server echoes the key in an error body and message", async () => {
    fixture().route("GET /v1/account", {
      status: 401,
      json: {
        error: {
          type: "auth",
          message: `Invalid key ${API_KEY}`,
          key: API_KEY,
          [API_KEY]: [API_KEY],
        },
      },
    });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe("acme: 401 Invalid key [redacted]");
    expectNoKey(error);
    // The check itself can fail: the raw request carried the key.
    expect(fixture().requests()[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("when a fetch implementation's error holds the request and its headers", async () => {
    const leaky: typeof fetch = async (input) => {
      const request = input as Request;
      throw Object.assign(
        new TypeError(`request failed: ${request.headers.get("authorization")}`),
        {
          request,
          config: { headers: Object.fromEntries(request.headers) },
          cause: Object.assign(new Error(`inner ${API_KEY}`), { code: "E_LEAK", request }),
        },
      );
    };
    const error = await rejection(
      acmeClient(fixture(), { fetch: leaky, maxRetries: 0 }).getAccount(),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      "acme: connection failed: request failed: Bearer [redacted]: inner [redacted] (E_LEAK)",
    );
    expect(error.cause.cause.code).toBe("E_LEAK");
    expectNoKey(error);
  });

  it("in every other failure: reset, timeout, HTML, envelope, truncated, refused, input", async () => {
    const errors: unknown[] = [];
    fixture().route("GET /v1/account", (_, reply) => reply.reset());
    errors.push(await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount()));
    fixture().route("GET /v1/account", (_, reply) => reply.hang());
    errors.push(
      await rejection(acmeClient(fixture(), { maxRetries: 0, timeout: 100 }).getAccount()),
    );
    fixture().route("GET /v1/account", (_, reply) => reply.partial("{"));
    errors.push(await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount()));
    fixture().route("GET /v1/account", { status: 502, body: `<html>${API_KEY}</html>` });
    errors.push(await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount()));
    fixture().route("GET /api/v3/balance", {
      json: { code: 401, message: `key ${API_KEY} revoked` },
    });
    errors.push(await rejection(wavyClient(fixture()).getBalance()));
    errors.push(
      await rejection(
        acmeClient(fixture(), { baseUrl: await deadUrl(), maxRetries: 0 }).getAccount(),
      ),
    );
    errors.push(await rejection(acmeClient(fixture()).topUp({ amount_cents: API_KEY })));
    expect(errors.map((e) => (e as Error).constructor)).toEqual([
      ConnectionError,
      TimeoutError,
      ConnectionError,
      ServerError,
      AuthenticationError,
      ConnectionError,
      InputError,
    ]);
    for (const error of errors) expectNoKey(error);
  });

  it("nor in the client object", () => {
    const client = acmeClient(fixture(), { headers: { "x-team": "t1" } });
    expect(inspect(client, { depth: Infinity, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(client)).not.toContain(API_KEY);
  });

  it("nor in any console output (core logs nothing)", async () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((name) =>
      vi.spyOn(console, name).mockImplementation(() => {}),
    );
    fixture().route(
      "GET /v1/account",
      sequence({ status: 503 }, (_, reply) => reply.reset(), { json: {} }),
    );
    await acmeClient(fixture()).getAccount();
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});
