// How the key is sent and which headers every request carries come from the spec: a key in a
// header of its own (Anthropic's x-api-key), and constant headers such as an API version.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  createClient,
  type OperationSpec,
  type ProviderSpec,
} from "../src/index.js";
import { API_KEY, FAST, type Fixture, rejection, useFixture } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

const provider: ProviderSpec = {
  name: "keyed",
  baseUrl: "https://api.keyed.invalid",
  auth: { header: "x-api-key" },
  error: { message: ["error.message"] },
};

const operations = {
  getReport: {
    method: "get",
    path: "/v1/report",
    retrySafe: true,
    in: {},
    input: { type: "object", properties: {} },
    headers: { "anthropic-version": "2023-06-01" },
  },
  getOther: {
    method: "get",
    path: "/v1/other",
    retrySafe: true,
    in: {},
    input: { type: "object", properties: {} },
  },
} satisfies Record<string, OperationSpec>;

interface Ops {
  getReport: { input: Record<string, never>; result: { ok: boolean } };
  getOther: { input: Record<string, never>; result: { ok: boolean } };
}

const client = (f: Fixture, options: Record<string, unknown> = {}) =>
  createClient<Record<string, never>, Ops>(provider, operations, {
    apiKey: API_KEY,
    baseUrl: f.url,
    ...FAST,
    ...options,
  });

describe("auth and constant headers from the spec", () => {
  it("sends the key in the scheme's header, not as a bearer token", async () => {
    fixture().route("GET /v1/report", { json: { ok: true } });
    await client(fixture()).getReport();
    const [request] = fixture().requests("GET /v1/report");
    expect(request?.headers["x-api-key"]).toBe(API_KEY);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("sends an operation's constant headers on every request of it, and only of it", async () => {
    fixture().route("GET /v1/report", { json: { ok: true } });
    fixture().route("GET /v1/other", { json: { ok: true } });
    const keyed = client(fixture());
    await keyed.getReport();
    await keyed.getReport();
    await keyed.getOther();
    const versions = fixture()
      .requests("GET /v1/report")
      .map((r) => r.headers["anthropic-version"]);
    expect(versions).toEqual(["2023-06-01", "2023-06-01"]);
    expect(fixture().requests("GET /v1/other")[0]?.headers["anthropic-version"]).toBeUndefined();
  });

  it("lets the client's headers option override a constant header (trying a newer version)", async () => {
    fixture().route("GET /v1/report", { json: { ok: true } });
    await client(fixture(), { headers: { "Anthropic-Version": "2099-01-01" } }).getReport();
    expect(fixture().requests("GET /v1/report")[0]?.headers["anthropic-version"]).toBe(
      "2099-01-01",
    );
  });

  it("hides the key in errors when the server echoes that header", async () => {
    fixture().route("GET /v1/report", (request) => ({
      status: 401,
      json: { error: { message: `bad key ${request.headers["x-api-key"]}` } },
    }));
    const error = await rejection(client(fixture()).getReport());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify({ message: error.message, body: error.body })).not.toContain(API_KEY);
  });
});
