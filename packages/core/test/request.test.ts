// The methods build their requests themselves (src/request.ts), not through openapi-fetch: they
// must put on the wire exactly what `client.raw` (openapi-fetch) puts there for the same input.
import { describe, expect, it } from "vitest";
import { createClient, type OperationSpec, type ProviderSpec } from "../src/index.js";

const provider: ProviderSpec = {
  name: "wire",
  baseUrl: "https://api.wire.invalid/",
  error: {},
};

const operations = {
  getThing: {
    method: "get",
    path: "/v1/teams/{team_id}/things",
    retrySafe: true,
    in: { team_id: "path", ids: "query", "since.year": "query", q: "query", filter: "query" },
    input: {
      type: "object",
      properties: {
        team_id: { type: "string" },
        ids: { type: "array", items: { type: "string" } },
        "since.year": { type: "integer" },
        q: { type: "string" },
        filter: { type: "object", properties: { kind: { type: "string" } } },
      },
    },
  },
  putThing: {
    method: "put",
    path: "/v1/things/{id}",
    retrySafe: false,
    in: { id: "path", name: "body", tags: "body" },
    input: {
      type: "object",
      properties: {
        id: { type: "string" },
        name: { type: "string" },
        tags: { type: "array", items: { type: "string" } },
      },
    },
  },
} satisfies Record<string, OperationSpec>;

interface Sent {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** A client whose fetch records each request and answers `{}`. */
function recording(headers?: Record<string, string>) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({
      method: request.method,
      url: request.url,
      headers: [...request.headers].sort(([a], [b]) => a.localeCompare(b)),
      body: await request.text(),
    });
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };
  const client = createClient<any, any>(provider, operations, {
    apiKey: "sk-wire",
    fetch,
    ...(headers ? { headers } : {}),
  }) as any;
  return { client, sent };
}

describe("the methods send what client.raw sends", () => {
  const cases: [string, string, Record<string, unknown>, object, Record<string, string>?][] = [
    [
      "a GET with path, array, dotted, reserved-character and object query fields",
      "getThing",
      {
        team_id: "t/1 ü",
        ids: ["a&b", "c d"],
        "since.year": 2026,
        q: "x=y?z",
        filter: { kind: "k" },
      },
      {
        params: {
          path: { team_id: "t/1 ü" },
          query: { ids: ["a&b", "c d"], "since.year": 2026, q: "x=y?z", filter: { kind: "k" } },
        },
      },
    ],
    [
      "a GET with no fields and an empty array",
      "getThing",
      { team_id: "t", ids: [] },
      { params: { path: { team_id: "t" }, query: { ids: [] } } },
    ],
    [
      "a PUT with a JSON body",
      "putThing",
      { id: "7", name: "n", tags: ["a"] },
      { params: { path: { id: "7" } }, body: { name: "n", tags: ["a"] } },
    ],
    [
      "client headers of any case, the key's Authorization winning over one of them",
      "putThing",
      { id: "7" },
      { params: { path: { id: "7" } }, body: {} },
      { "X-Trace": "1", authorization: "Bearer other", "content-type": "application/json" },
    ],
  ];

  it.each(cases)("%s", async (_, operationId, input, rawInit, headers) => {
    const viaMethod = recording(headers);
    await viaMethod.client[operationId](input);
    const viaRaw = recording(headers);
    const method = operations[operationId as keyof typeof operations].method.toUpperCase();
    const path = operations[operationId as keyof typeof operations].path;
    await viaRaw.client.raw.request(method.toLowerCase(), path, rawInit);
    expect(viaMethod.sent).toHaveLength(1);
    expect(viaMethod.sent).toEqual(viaRaw.sent);
  });

  it("a header named like an Object.prototype member is sent like any other", async () => {
    const { client, sent } = recording(JSON.parse('{"__proto__": "p", "constructor": "c"}'));
    await client.getThing({ team_id: "t" });
    expect(sent[0]!.headers).toEqual(
      expect.arrayContaining([
        ["__proto__", "p"],
        ["constructor", "c"],
      ]),
    );
  });

  it("a call's own headers override the client's, whatever their case", async () => {
    const { client, sent } = recording({ "X-Trace": "client" });
    await client.putThing({ id: "1" }, { headers: { "x-trace": "call", "X-Other": "o" } });
    const headers = Object.fromEntries(sent[0]!.headers);
    expect(headers).toMatchObject({
      "x-trace": "call",
      "x-other": "o",
      authorization: "Bearer sk-wire",
      "content-type": "application/json",
    });
  });
});
