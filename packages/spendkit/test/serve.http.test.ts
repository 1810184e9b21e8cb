import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, type ServeRoutes, startServer } from "../src/serve/http.js";
import type { SpendQuery } from "../src/serve/query.js";

const TOKEN = "tok-0123456789abcdef";
let server: RunningServer | undefined;
const logged: { level: string; message: string; fields?: object }[] = [];
const logger = {
  debug: (message: string, fields?: object) => logged.push({ level: "debug", message, fields }),
  info: (message: string, fields?: object) => logged.push({ level: "info", message, fields }),
  warn: (message: string, fields?: object) => logged.push({ level: "warn", message, fields }),
  error: (message: string, fields?: object) => logged.push({ level: "error", message, fields }),
};

afterEach(async () => {
  await server?.close();
  server = undefined;
  logged.length = 0;
});

function routes(overrides: Partial<ServeRoutes> = {}): ServeRoutes & { queries: SpendQuery[] } {
  const queries: SpendQuery[] = [];
  return {
    queries,
    metrics: async () => "# HELP x X.\n# TYPE x gauge\nx 1\n",
    ready: async () => ({ ready: true }),
    balances: async () => ({ balances: [{ provider: "xai", balance: "1.00" }] }),
    spend: async (query) => {
      queries.push(query);
      return { spend: [] };
    },
    alerts: async () => ({ alerts: [] }),
    ...overrides,
  };
}

async function start(r: ServeRoutes, options: { token?: string; requestTimeoutMs?: number } = {}) {
  server = await startServer({ host: "127.0.0.1", port: 0, routes: r, logger, ...options });
  return server;
}

const bearer = { headers: { authorization: `Bearer ${TOKEN}` } };

/** A raw request, for what fetch will not send (a body on GET, a huge URL). */
function raw(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("the HTTP server", () => {
  it("serves metrics, health and readiness without a token", async () => {
    const s = await start(routes(), { token: TOKEN });
    const metrics = await fetch(`${s.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(metrics.headers.get("cache-control")).toBe("no-store");
    expect(metrics.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await metrics.text()).toContain("x 1");
    expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${s.url}/readyz`)).json()).toEqual({ status: "ready" });
  });

  it("answers 503 from /readyz when the store is not ready", async () => {
    const s = await start(routes({ ready: async () => ({ ready: false, reason: "migrating" }) }));
    const response = await fetch(`${s.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "not ready", reason: "migrating" });
  });

  it("keeps the read API behind the bearer token", async () => {
    const s = await start(routes(), { token: TOKEN });
    const refused: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: "Bearer " },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ];
    for (const headers of refused) {
      const response = await fetch(`${s.url}/v1/balances`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
    const ok = await fetch(`${s.url}/v1/balances`, bearer);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await ok.json()).toEqual({ balances: [{ provider: "xai", balance: "1.00" }] });
    expect((await fetch(`${s.url}/v1/alerts`, bearer)).status).toBe(200);
  });

  it("turns the read API off without a token, and says so", async () => {
    const s = await start(routes());
    const response = await fetch(`${s.url}/v1/balances`, bearer);
    expect(response.status).toBe(404);
    expect((await response.json()).error).toContain("set SPENDKIT_SERVE_TOKEN");
  });

  it("turns the read API off with an empty token too", async () => {
    const s = await start(routes(), { token: "" });
    const response = await fetch(`${s.url}/v1/spend`, bearer);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: "the read API is off: set SPENDKIT_SERVE_TOKEN to turn it on",
    });
  });

  it("asks for the token before saying whether a /v1 path exists", async () => {
    const s = await start(routes(), { token: TOKEN });
    expect((await fetch(`${s.url}/v1/nowhere`)).status).toBe(401);
    const missing = await fetch(`${s.url}/v1/nowhere`, bearer);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "not found" });
    // `new URL` would read //v1 as a host; the path is taken as sent.
    expect((await raw(s.port, { path: "//v1/balances" })).status).toBe(404);
  });

  it("takes the bearer scheme in any case", async () => {
    const s = await start(routes(), { token: TOKEN });
    const response = await fetch(`${s.url}/v1/alerts`, {
      headers: { authorization: `bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ alerts: [] });
  });

  it("parses the spend query, always grouping by currency", async () => {
    const r = routes();
    const s = await start(r, { token: TOKEN });
    await fetch(`${s.url}/v1/spend`, bearer);
    await fetch(
      `${s.url}/v1/spend?since=2026-11-01&until=2026-12-01T12:00:00%2B01:00&group_by=model,day`,
      bearer,
    );
    expect(r.queries).toEqual([
      { groupBy: ["provider", "account", "currency"] },
      {
        since: new Date("2026-11-01T00:00:00Z"),
        until: new Date("2026-12-01T11:00:00Z"),
        groupBy: ["model", "day", "currency"],
      },
    ]);
  });

  it("keeps currency where it was named, and reads fractions and offsets", async () => {
    const r = routes();
    const s = await start(r, { token: TOKEN });
    const since = encodeURIComponent("2026-11-01T00:00:00.123456-05:30");
    const response = await fetch(
      `${s.url}/v1/spend?group_by=currency,%20model&since=${since}&until=2026-11-02T00:00:00z`,
      bearer,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ spend: [] });
    expect(r.queries).toEqual([
      {
        since: new Date("2026-11-01T05:30:00.123Z"),
        until: new Date("2026-11-02T00:00:00Z"),
        groupBy: ["currency", "model"],
      },
    ]);
  });

  it.each([
    ["since=yesterday", "since"],
    ["since=2026-02-30", "since"],
    ["since=2026-13-01", "since"],
    ["since=2026-01-01T24:00:00Z", "since"],
    ["since=2026-01-01T12:00Z", "since"],
    ["since=2026-01-01T12:00:00%2B24:00", "since"],
    ["since=1767225600", "since"],
    ["since=2026-12-01&until=2026-12-01", "since"],
    ["until=2026-12-01T10:00:00", "until"],
    ["since=2026-12-02&until=2026-12-01", "since"],
    ["group_by=provider,colour", "group_by"],
    ["group_by=day,day", "group_by"],
    ["group_by=", "group_by"],
    ["group_by=provider,,day", "group_by"],
    ["group_by=currency,currency", "group_by"],
    ["group_by=day&group_by=model", "group_by"],
    ["since=2026-01-01&since=2026-02-01", "since"],
    ["limit=5", "limit"],
  ])("refuses ?%s with a 400 naming %s", async (query, name) => {
    const r = routes();
    const s = await start(r, { token: TOKEN });
    const response = await fetch(`${s.url}/v1/spend?${query}`, bearer);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain(name);
    expect(r.queries).toEqual([]);
  });

  it("refuses parameters on the other read paths", async () => {
    const s = await start(routes(), { token: TOKEN });
    for (const path of ["/v1/balances?since=2026-01-01", "/v1/alerts?x=1"]) {
      const response = await fetch(`${s.url}${path}`, bearer);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toContain("unknown parameter");
    }
  });

  it.each(["group_by", "since", "x".repeat(300)])(
    "never echoes a long value in full (%s)",
    async (name) => {
      const s = await start(routes(), { token: TOKEN });
      const long = `\u0007\n${"y".repeat(500)}`;
      const response = await fetch(`${s.url}/v1/spend?${name}=${encodeURIComponent(long)}`, bearer);
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.length).toBeLessThan(160);
      expect(error).not.toContain("y".repeat(41));
      expect(error).not.toContain("x".repeat(41));
      expect(error).toMatch(/^[\x20-\x7e…]*$/);
    },
  );

  it("takes GET and HEAD only, no bodies, no huge URLs, and answers 404 elsewhere", async () => {
    const s = await start(routes(), { token: TOKEN });
    const post = await fetch(`${s.url}/metrics`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const del = await raw(s.port, { method: "DELETE", path: "/v1/balances" });
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe("GET, HEAD");
    const head = await raw(s.port, { method: "HEAD", path: "/healthz" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(head.headers["content-length"]).toBe(String('{"status":"ok"}'.length));
    const headMetrics = await raw(s.port, { method: "HEAD", path: "/metrics" });
    expect(headMetrics.status).toBe(200);
    expect(headMetrics.body).toBe("");
    expect(headMetrics.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    const withBody = await raw(s.port, {
      path: "/metrics",
      headers: { "content-length": "5" },
      body: "hello",
    });
    expect(withBody.status).toBe(413);
    expect(withBody.headers.connection).toBe("close");
    const chunked = await raw(s.port, {
      path: "/healthz",
      headers: { "transfer-encoding": "chunked" },
      body: "hello",
    });
    expect(chunked.status).toBe(413);
    const huge = await raw(s.port, { path: `/metrics?${"a".repeat(3000)}` });
    expect(huge.status).toBe(414);
    const missing = await fetch(`${s.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "not found" });
  });

  it("answers a request with a large body at once, without waiting for the body", async () => {
    const s = await start(routes());
    const answer = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
      const req = httpRequest({
        host: "127.0.0.1",
        port: s.port,
        path: "/metrics",
        headers: { "content-length": String(50 * 1024 * 1024) },
      });
      req.on("response", (res) => {
        res.resume();
        // The server ends the connection rather than read the 50 MiB announced.
        req.socket!.on("close", () => resolve({ status: res.statusCode!, closed: true }));
      });
      req.on("error", (error: NodeJS.ErrnoException) =>
        // The server may close while this side still writes: that is the point.
        error.code === "ECONNRESET" || error.code === "EPIPE" ? undefined : reject(error),
      );
      req.write("z".repeat(4096));
    });
    expect(answer).toEqual({ status: 413, closed: true });
  });

  it("logs each request at debug without its query string or token", async () => {
    const s = await start(routes(), { token: TOKEN });
    await fetch(`${s.url}/v1/spend?since=2026-01-01&until=SECRET-QUERY-VALUE`, bearer);
    await fetch(`${s.url}/healthz`);
    const debug = logged.filter((l) => l.level === "debug");
    expect(debug).toEqual([
      {
        level: "debug",
        message: "request",
        fields: { method: "GET", path: "/v1/spend", status: 400, ms: expect.any(Number) },
      },
      {
        level: "debug",
        message: "request",
        fields: { method: "GET", path: "/healthz", status: 200, ms: expect.any(Number) },
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain("SECRET-QUERY-VALUE");
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
  });

  it("answers 500 without the error's text, and logs it for the operator", async () => {
    const s = await start(
      routes({
        balances: async () => {
          throw new Error("SECRET-DETAIL from the database");
        },
      }),
      { token: TOKEN },
    );
    const response = await fetch(`${s.url}/v1/balances`, bearer);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toContain("SECRET-DETAIL");
    expect(body).toBe('{"error":"internal error"}');
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const error = logged.find((l) => l.level === "error");
    expect(error?.fields).toMatchObject({
      path: "/v1/balances",
      error: "Error: SECRET-DETAIL from the database",
    });
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
    expect(JSON.stringify(logged)).not.toContain("    at "); // no stack
  });

  it("answers 500 when a route's answer is not JSON", async () => {
    const s = await start(routes({ alerts: async () => undefined }), { token: TOKEN });
    const response = await fetch(`${s.url}/v1/alerts`, bearer);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "internal error" });
  });

  it("answers 503 when an answer takes too long", async () => {
    const s = await start(
      routes({ metrics: () => new Promise(() => {}), spend: () => new Promise(() => {}) }),
      { requestTimeoutMs: 100, token: TOKEN },
    );
    const response = await fetch(`${s.url}/metrics`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "timed out" });
    const spend = await fetch(`${s.url}/v1/spend`, bearer);
    expect(spend.status).toBe(503);
    expect(await spend.json()).toEqual({ error: "timed out" });
  });

  it("lets a request in flight finish when closed", async () => {
    let release: () => void = () => {};
    const s = await start(
      routes({
        metrics: () =>
          new Promise((resolve) => {
            release = () => resolve("x 1\n");
          }),
      }),
    );
    const pending = fetch(`${s.url}/metrics`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = s.close();
    release();
    const response = await pending;
    expect(response.status).toBe(200);
    // The connection is not kept: close() need not wait for it to idle out.
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.text()).toBe("x 1\n");
    await closed;
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    await s.close(); // twice is fine
  });
});
