// Class 1 of the hostile-network suite: no credential, whole or in part, in any error.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { redact } from "../../src/errors.js";
import { ApiError, ConnectionError, InputError, RedirectError } from "../../src/index.js";
import { createHider } from "../../src/secrets.js";
import { API_KEY, acmeClient, rejection, startFixture, useFixture } from "../support.js";
import { everythingIn, fragmentsIn } from "./hostile.js";

const fixture = useFixture({ beforeEach, afterEach });

const HEADER_SECRETS = {
  "x-api-key": "xk-9f8e7d6c5b4a39281706",
  cookie: "session=cs-0a1b2c3d4e5f60718293; theme=dark",
  Authorization: "Bearer ab-1122334455667788990011",
};

function expectClean(error: unknown, ...secrets: string[]) {
  const text = everythingIn(error);
  for (const secret of secrets) expect(fragmentsIn(text, secret)).toEqual([]);
}

describe("class 1: secrets never reach an error", () => {
  it("a server that echoes the key into every field it controls", async () => {
    fixture().route("GET /v1/account", {
      status: 400,
      headers: { "x-request-id": `req-${API_KEY}` },
      json: {
        error: {
          type: `type ${API_KEY}`,
          code: `code-${API_KEY}`,
          message: `bad key ${API_KEY}`,
          [`key ${API_KEY}`]: [{ nested: { deeper: API_KEY } }],
        },
      },
    });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error.status).toBe(400);
    expectClean(error, API_KEY);
  });

  it("a key cut at a length limit leaves no fragment (redacted before truncated)", async () => {
    // The key straddles the 2,000-character cut of a text body and the 200 of its message; at
    // 1,995 a cut before redaction would leave its first 5 characters, too few to be found.
    for (const at of [1_990, 1_995, 195, 197]) {
      fixture().route("GET /v1/account", {
        status: 400,
        headers: { "content-type": "text/plain" },
        body: `${"x".repeat(at)}${API_KEY}${"y".repeat(50)}`,
      });
      const error = await rejection(acmeClient(fixture()).getAccount());
      expectClean(error, API_KEY);
      expect(String(error.body)).not.toContain(`x${API_KEY.slice(0, 3)}`);
      expect(error.message).not.toContain(`x${API_KEY.slice(0, 3)}`);
    }
  });

  it("redact() hides every text field of an error it is handed, whoever built it", () => {
    const error = new ApiError({
      provider: `p ${API_KEY}`,
      status: 500,
      code: `c ${API_KEY}`,
      type: `t ${API_KEY}`,
      message: `m ${API_KEY}`,
      requestId: `r ${API_KEY}`,
      retryable: false,
      body: { [API_KEY]: [API_KEY] },
    });
    expectClean(redact(error, createHider([API_KEY])), API_KEY);
  });

  it("a prefix or a piece of the key echoed inside other text", async () => {
    fixture().route("GET /v1/account", {
      status: 401,
      json: { error: { message: `Incorrect API key provided: ${API_KEY.slice(0, 12)}***` } },
    });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error.message).toContain("Incorrect API key provided:");
    expectClean(error, API_KEY);
  });

  it("credential headers given to the client or to one call are hidden like the key", async () => {
    const echo = (request: { headers: Record<string, unknown> }) => ({
      status: 400,
      json: { error: { message: JSON.stringify(request.headers) } },
    });
    fixture().route("GET /v1/account", echo);
    const client = acmeClient(fixture(), { headers: HEADER_SECRETS });
    const fromClient = await rejection(client.getAccount());
    expectClean(fromClient, API_KEY, ...Object.values(HEADER_SECRETS));
    const perCall = await rejection(
      acmeClient(fixture()).getAccount({}, { headers: { "X-Api-Key": "pc-5566778899aabbccdd" } }),
    );
    expectClean(perCall, API_KEY, "pc-5566778899aabbccdd");
  });

  it("a custom fetch whose error names, codes and messages carry the key", async () => {
    const leaky = async (request: Request) => {
      const cause = Object.assign(new Error(`socket ${request.headers.get("authorization")}`), {
        name: `Leak ${API_KEY}`,
        code: `E_${API_KEY}`,
      });
      throw Object.assign(new TypeError(`fetch failed for ${API_KEY}`, { cause }), {
        code: API_KEY,
      });
    };
    const error = await rejection(
      acmeClient(fixture(), { fetch: leaky as typeof fetch, maxRetries: 0 }).getAccount(),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expectClean(error, API_KEY);
  });

  it("a baseUrl with user:password@ is an InputError, and the message repeats neither", () => {
    const attempt = () =>
      acmeClient(fixture(), { baseUrl: "https://admin:hunter2-pass@api.acme.invalid" });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/must not contain user:password@/);
    try {
      attempt();
    } catch (error) {
      expect(everythingIn(error)).not.toContain("hunter2-pass");
    }
  });
});

describe("class 1: credentials and bodies stay with their origin", () => {
  it("a cross-origin redirect is not followed: typed error naming the origin, not its query", async () => {
    const elsewhere = await startFixture();
    try {
      elsewhere.route("GET /steal", { json: { balance: 1 } });
      fixture().route("GET /v1/account", {
        status: 302,
        headers: { location: `${elsewhere.url}/steal?token=abc123secretquery` },
      });
      const error = await rejection(acmeClient(fixture()).getAccount());
      expect(error).toBeInstanceOf(RedirectError);
      expect(error.location).toBe(elsewhere.url);
      expect(error.message).toContain(elsewhere.url);
      expect(everythingIn(error)).not.toContain("abc123secretquery");
      expect(elsewhere.count()).toBe(0);
    } finally {
      await elsewhere.stop();
    }
  });

  it("a write redirected elsewhere (307) is never replayed there, and sent once", async () => {
    const elsewhere = await startFixture();
    try {
      elsewhere.route("POST /v1/topup", { json: { ok: true } });
      fixture().route("POST /v1/topup", {
        status: 307,
        headers: { location: `${elsewhere.url}/v1/topup` },
      });
      const error = await rejection(acmeClient(fixture()).topUp({ amount_cents: "500" }));
      expect(error).toBeInstanceOf(RedirectError);
      expect(error.retryable).toBe(false);
      expect(elsewhere.count()).toBe(0);
      expect(fixture().count("POST /v1/topup")).toBe(1);
    } finally {
      await elsewhere.stop();
    }
  });

  it("an http downgrade of the same host is another origin too", async () => {
    fixture().route("GET /v1/account", {
      status: 301,
      headers: { location: fixture().url.replace("http:", "https:") },
    });
    const error = await rejection(acmeClient(fixture()).getAccount());
    expect(error).toBeInstanceOf(RedirectError);
  });

  it("a same-origin redirect is followed, with the key, body and method a 307 keeps", async () => {
    fixture().route("GET /v1/account", { status: 302, headers: { location: "/v1/account2" } });
    fixture().route("GET /v1/account2", { json: { balance: 7 } });
    expect(await acmeClient(fixture()).getAccount()).toEqual({ balance: 7 });
    expect(fixture().requests("GET /v1/account2")[0]!.headers.authorization).toBe(
      `Bearer ${API_KEY}`,
    );
    fixture().route("POST /v1/topup", { status: 307, headers: { location: "/v1/topup2" } });
    fixture().route("POST /v1/topup2", (request) => ({
      json: { ok: request.json().amount_cents === "5" },
    }));
    expect(await acmeClient(fixture()).topUp({ amount_cents: "5" })).toEqual({ ok: true });
  });

  it("a redirect loop ends after a few hops with a RedirectError", async () => {
    fixture().route("GET /v1/account", { status: 302, headers: { location: "/v1/account" } });
    const error = await rejection(acmeClient(fixture(), { maxRetries: 0 }).getAccount());
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.message).toContain("more than 5 redirects");
    expect(fixture().count("GET /v1/account")).toBe(6);
  });
});
