import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Fixture, sequence, startFixture } from "../src/index.js";

let fixture: Fixture;
beforeEach(async () => {
  fixture = await startFixture();
});
afterEach(async () => {
  await fixture.stop();
});

/** Sends bytes on a raw TCP connection and returns everything the server wrote back. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let out = "";
    socket.on("data", (chunk) => {
      out += chunk.toString();
    });
    socket.on("close", () => resolve(out));
    socket.on("error", reject);
  });
}

describe("startFixture", () => {
  it("listens on 127.0.0.1 on a free port", () => {
    expect(fixture.url).toBe(`http://127.0.0.1:${fixture.port}`);
    expect(fixture.port).toBeGreaterThan(0);
  });

  it("answers a declarative route with JSON, status and headers, and counts it", async () => {
    fixture.route("GET /v1/account", {
      status: 201,
      json: { ok: true },
      headers: { "x-request-id": "r1" },
    });
    const response = await fetch(`${fixture.url}/v1/account?x=1`);
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-id")).toBe("r1");
    expect(await response.json()).toEqual({ ok: true });
    expect(fixture.count("GET /v1/account")).toBe(1);
    expect(fixture.count("get /v1/account")).toBe(1);
    expect(fixture.count()).toBe(1);
  });

  it("passes handlers the request: query, params, headers, body, n", async () => {
    fixture.route("POST /teams/:team/topup", (req) => ({
      json: {
        n: req.n,
        team: req.params.team,
        q: req.query.get("q"),
        auth: req.headers.authorization,
        body: req.json(),
      },
    }));
    const send = () =>
      fetch(`${fixture.url}/teams/t%201/topup?q=a`, {
        method: "POST",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        body: JSON.stringify({ cents: "5" }),
      }).then((r) => r.json());
    expect(await send()).toEqual({
      n: 1,
      team: "t 1",
      q: "a",
      auth: "Bearer k",
      body: { cents: "5" },
    });
    expect((await send()).n).toBe(2);
    expect(fixture.requests("POST /teams/:team/topup").map((r) => r.path)).toEqual([
      "/teams/t%201/topup",
      "/teams/t%201/topup",
    ]);
  });

  it("sequence() answers in order and repeats its last step", async () => {
    fixture.route(
      "GET /x",
      sequence({ status: 429, headers: { "retry-after": "0" } }, (_req, reply) =>
        reply.json({ ok: 2 }),
      ),
    );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${fixture.url}/x`)).status);
    expect(statuses).toEqual([429, 200, 200]);
    // A new sequence on the same route starts from its first step.
    fixture.route("GET /x", sequence({ status: 503 }, { status: 204 }));
    expect((await fetch(`${fixture.url}/x`)).status).toBe(503);
    expect(fixture.count("GET /x")).toBe(4);
  });

  it("matches `:name` segments only against well-formed escapes", async () => {
    fixture.route("GET /teams/:team", (req) => ({ json: req.params }));
    expect((await fetch(`${fixture.url}/teams/%E0%A4%A`)).status).toBe(404);
    expect(await (await fetch(`${fixture.url}/teams/a%2Fb`)).json()).toEqual({ team: "a/b" });
  });

  it("answers an unknown route with a JSON 404 and counts it under its own key", async () => {
    const response = await fetch(`${fixture.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { type: "not_found", message: "no fixture route for GET /nope" },
    });
    expect(fixture.count("GET /nope")).toBe(1);
  });

  it("reports a handler that throws with a 500 and in `errors`", async () => {
    fixture.route("GET /boom", () => {
      throw new Error("handler bug");
    });
    const response = await fetch(`${fixture.url}/boom`);
    expect(response.status).toBe(500);
    expect(fixture.errors).toHaveLength(1);
  });

  it("sends raw bodies and bytes", async () => {
    fixture.route("GET /html", {
      status: 502,
      body: "<html>bad gateway</html>",
      headers: { "content-type": "text/html" },
    });
    const html = await fetch(`${fixture.url}/html`);
    expect([html.status, await html.text()]).toEqual([502, "<html>bad gateway</html>"]);

    fixture.route("GET /raw", (_req, reply) =>
      reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"),
    );
    const out = await rawExchange(fixture.port, "GET /raw HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(out).toBe("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
  });

  it("cuts a body short (partial) and resets connections", async () => {
    fixture.route("GET /partial", (_req, reply) => reply.partial('{"a": 1'));
    const response = await fetch(`${fixture.url}/partial`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();

    fixture.route("GET /reset", (_req, reply) => reply.reset());
    const error = await fetch(`${fixture.url}/reset`).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TypeError);
    // Deliberate cuts are not counted as client aborts.
    expect(fixture.stats().aborted).toBe(0);
  });

  it("tracks in-flight requests and those the client abandoned", async () => {
    fixture.route("GET /slow", async (_req, reply) => {
      await reply.hang();
    });
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const pending = controllers.map((c) =>
      fetch(`${fixture.url}/slow`, { signal: c.signal }).catch(() => "aborted"),
    );
    await fixture.waitFor(() => fixture.stats("GET /slow").inFlight === 3);
    for (const c of controllers) c.abort();
    expect(await Promise.all(pending)).toEqual(["aborted", "aborted", "aborted"]);
    await fixture.waitFor(() => fixture.stats("GET /slow").inFlight === 0);
    expect(fixture.stats("GET /slow")).toEqual({
      count: 3,
      inFlight: 0,
      maxInFlight: 3,
      aborted: 3,
    });
  });

  it("delays an answer", async () => {
    fixture.route("GET /later", { delay: 20, json: { ok: true } });
    expect(await (await fetch(`${fixture.url}/later`)).json()).toEqual({ ok: true });
  });

  it("waitFor rejects when the condition never holds", async () => {
    await expect(fixture.waitFor(() => false, 20)).rejects.toThrow("not met within 20 ms");
  });

  it("reset() forgets routes, requests and counters", async () => {
    fixture.route("GET /a", { json: 1 });
    await fetch(`${fixture.url}/a`);
    fixture.reset();
    expect(fixture.count()).toBe(0);
    expect(fixture.requests()).toEqual([]);
    expect((await fetch(`${fixture.url}/a`)).status).toBe(404);
  });

  it("rejects a malformed route key", () => {
    expect(() => fixture.route("/no-method", {})).toThrow('must look like "GET /path"');
  });

  it("stop() closes open connections, even hanging ones, and the port", async () => {
    const other = await startFixture();
    other.route("GET /hang", async (_req, reply) => {
      await reply.hang();
    });
    const hanging = fetch(`${other.url}/hang`).catch((e: Error) => e);
    await other.waitFor(() => other.count() === 1);
    await other.stop();
    expect(await hanging).toBeInstanceOf(TypeError);
    await expect(fetch(`${other.url}/hang`)).rejects.toThrow();
  });
});
