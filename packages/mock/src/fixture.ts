import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A programmable HTTP server on 127.0.0.1 for behaviour tests, CLI tests and benchmarks: what a
 * Prism mock cannot show (many pages, rows inserted mid-export, 429/5xx, resets, timeouts, HTML
 * and truncated bodies). Routes are "METHOD /path" with optional `:name` segments; every request
 * is counted per route, and the server tracks in-flight requests and the ones the client gave up
 * on, so that tests assert counts rather than timings.
 *
 * ```ts
 * const fixture = await startFixture();
 * fixture.route("GET /v1/account", { json: { balance: 5 } });
 * fixture.route("GET /v1/rows", sequence({ status: 429, headers: { "retry-after": "0" } }, { json: [] }));
 * fixture.route("POST /v1/topup", (_req, reply) => reply.reset());
 * // ... fixture.count("POST /v1/topup") === 1
 * await fixture.stop();
 * ```
 */

export interface FixtureRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  url: URL;
  query: URLSearchParams;
  /** Values of the route's `:name` segments. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The request body as text ("" when there was none). */
  body: string;
  /** The body parsed as JSON (undefined when empty; throws when it is not JSON). */
  json<T = any>(): T;
  /** 1-based: this is the n-th request on this route key since the fixture started or reset. */
  n: number;
  /** The route key that matched ("GET /v1/teams/:id"), or "METHOD /path" when none did. */
  route: string;
}

/** A declarative answer: a route, a step of `sequence()`, or a handler's return value. */
export interface ReplySpec {
  /** Default 200. */
  status?: number;
  /** A JSON body (sets content-type: application/json). */
  json?: unknown;
  /** A raw body, sent as is. */
  body?: string | Uint8Array;
  headers?: Record<string, string | number>;
  /** Milliseconds to wait before answering. */
  delay?: number;
}

export interface Reply {
  /** Sends a complete response (status, headers, JSON or raw body). */
  send(spec: ReplySpec): void;
  /** Shorthand for `send({ status, json, headers })`. */
  json(json: unknown, status?: number, headers?: Record<string, string | number>): void;
  /**
   * Sends the status line, the headers and `body`, but announces `declaredLength` bytes (default:
   * twice the body), so the body is cut short; then closes the connection (`close: true`,
   * the default) or keeps it open so the body never completes (`close: false`).
   */
  partial(
    body: string | Uint8Array,
    options?: {
      status?: number;
      headers?: Record<string, string | number>;
      declaredLength?: number;
      close?: boolean;
    },
  ): void;
  /** Writes bytes straight to the socket (no HTTP framing added), then closes it. */
  raw(bytes: string | Uint8Array): void;
  /** Resets the connection (TCP RST): the client sees ECONNRESET or "socket hang up". */
  reset(): void;
  /** Never answers; resolves when the client goes away or the fixture stops. */
  hang(): Promise<void>;
  /** Waits `ms`, or less when the client goes away first. */
  delay(ms: number): Promise<void>;
  /** True once the client closed the connection. */
  readonly closed: boolean;
  /** The underlying objects, for anything else. */
  req: IncomingMessage;
  res: ServerResponse;
}

// biome-ignore lint/suspicious/noConfusingVoidType: a handler may answer through `reply` and return nothing.
type HandlerResult = void | ReplySpec | undefined;
export type Handler = (
  request: FixtureRequest,
  reply: Reply,
) => HandlerResult | Promise<HandlerResult>;

export interface RouteStats {
  /** Requests received. */
  count: number;
  /** Requests received and not yet answered or closed. */
  inFlight: number;
  /** The largest `inFlight` seen. */
  maxInFlight: number;
  /** Requests the client closed before the response was complete (not counting `reset`, `raw`, `partial`). */
  aborted: number;
}

export interface Fixture {
  /** Base URL, e.g. http://127.0.0.1:43817 */
  url: string;
  port: number;
  /** Registers (or replaces) the answer to "METHOD /path"; `:name` segments match one segment. */
  route(key: string, answer: Handler | ReplySpec): Fixture;
  /** Requests received by a route key (as registered, or "METHOD /path" for unmatched ones); all when omitted. */
  count(key?: string): number;
  stats(key?: string): RouteStats;
  /** The requests received, oldest first (of one route key, or all). */
  requests(key?: string): FixtureRequest[];
  /** Errors thrown by handlers (each also answered with a 500). */
  errors: unknown[];
  /** Resolves once `condition()` holds (checked every few ms); rejects after `timeout` ms. */
  waitFor(condition: () => boolean, timeout?: number): Promise<void>;
  /**
   * Forgets every route, request and counter; the server keeps listening and keeps its
   * connections. A request a previous test left in transit may still arrive afterwards and be
   * counted: when tests leave requests in flight, wait for `stats().inFlight === 0` or use a
   * fresh fixture per test.
   */
  reset(): void;
  /** Closes every connection and the server. */
  stop(): Promise<void>;
}

/**
 * Answers in order: the n-th request this handler sees gets the n-th step; the last step
 * repeats. Each `sequence()` counts for itself, so a route replaced by a new one starts over.
 */
export function sequence(...steps: (Handler | ReplySpec)[]): Handler {
  if (steps.length === 0) throw new Error("sequence() needs at least one step");
  let seen = 0;
  return (request, reply) => {
    const step = steps[Math.min(++seen, steps.length) - 1]!;
    return typeof step === "function" ? step(request, reply) : step;
  };
}

interface Route {
  key: string;
  method: string;
  segments: string[];
  answer: Handler | ReplySpec;
}

function parseKey(key: string): { method: string; path: string } {
  const match = /^\s*([A-Za-z]+|\*)\s+(\/\S*)\s*$/.exec(key);
  if (!match) throw new Error(`route "${key}" must look like "GET /path"`);
  return { method: match[1]!.toUpperCase(), path: match[2]! };
}

function matchRoute(route: Route, method: string, segments: string[]) {
  if (route.method !== "*" && route.method !== method) return undefined;
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of route.segments.entries()) {
    const actual = segments[i]!;
    if (!part.startsWith(":")) {
      if (part !== actual) return undefined;
      continue;
    }
    try {
      params[part.slice(1)] = decodeURIComponent(actual);
    } catch {
      return undefined; // malformed %-escape: not this route
    }
  }
  return params;
}

const emptyStats = (): RouteStats => ({ count: 0, inFlight: 0, maxInFlight: 0, aborted: 0 });

/** Starts a fixture server on 127.0.0.1 on a free port (or `port`). */
export async function startFixture(options: { port?: number } = {}): Promise<Fixture> {
  let routes: Route[] = [];
  let log: FixtureRequest[] = [];
  let stats = new Map<string, RouteStats>();
  let total = emptyStats();
  const sockets = new Set<Socket>();
  const errors: unknown[] = [];

  const statsOf = (key: string) => {
    const found = stats.get(key) ?? emptyStats();
    stats.set(key, found);
    return found;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const segments = url.pathname.split("/");
    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const candidate of routes) {
      const found = matchRoute(candidate, method, segments);
      if (found) {
        route = candidate;
        params = found;
        break;
      }
    }
    const key = route?.key ?? `${method} ${url.pathname}`;
    const counters = [statsOf(key), total];
    for (const c of counters) {
      c.count++;
      c.inFlight++;
      c.maxInFlight = Math.max(c.maxInFlight, c.inFlight);
    }
    let killed = false;
    let closed = false;
    const closeWaiters = new Set<() => void>();
    res.once("close", () => {
      closed = true;
      for (const c of counters) {
        c.inFlight--;
        if (!res.writableFinished && !killed) c.aborted++;
      }
      for (const wake of closeWaiters) wake();
    });

    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away while sending its body
    }
    const body = Buffer.concat(chunks).toString("utf8");
    const request: FixtureRequest = {
      method,
      path: url.pathname,
      url,
      query: url.searchParams,
      params,
      headers: req.headers,
      body,
      json: () => (body === "" ? undefined : JSON.parse(body)),
      n: counters[0]!.count,
      route: key,
    };
    log.push(request);

    const whenClosed = (ms?: number) =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        const timer = ms === undefined ? undefined : setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          closeWaiters.delete(done);
          resolve();
        }
        closeWaiters.add(done);
      });
    const kill = (how: (socket: Socket) => void) => {
      killed = true;
      how(req.socket);
    };
    const reply: Reply = {
      send(spec) {
        if (closed || res.headersSent) return;
        const status = spec.status ?? 200;
        const headers: Record<string, string | number> = {};
        for (const [name, value] of Object.entries(spec.headers ?? {})) {
          headers[name.toLowerCase()] = value;
        }
        let payload: string | Uint8Array = spec.body ?? "";
        if (spec.json !== undefined) {
          payload = JSON.stringify(spec.json);
          headers["content-type"] ??= "application/json";
        }
        if (status !== 204 && status !== 304) {
          headers["content-length"] ??= Buffer.byteLength(payload);
        }
        res.writeHead(status, headers);
        res.end(status === 204 || status === 304 ? undefined : payload);
      },
      json(json, status = 200, headers) {
        reply.send({ json, status, ...(headers ? { headers } : {}) });
      },
      partial(partialBody, partialOptions = {}) {
        const bytes = Buffer.from(partialBody);
        killed = partialOptions.close !== false;
        res.writeHead(partialOptions.status ?? 200, {
          "content-type": "application/json",
          ...partialOptions.headers,
          "content-length": partialOptions.declaredLength ?? bytes.length * 2 + 1,
        });
        res.write(bytes, () => {
          if (killed) req.socket.destroy();
        });
      },
      raw(bytes) {
        kill((socket) => socket.end(Buffer.from(bytes)));
      },
      reset() {
        kill((socket) => socket.resetAndDestroy());
      },
      hang: () => whenClosed(),
      delay: (ms) => whenClosed(ms),
      get closed() {
        return closed;
      },
      req,
      res,
    };

    try {
      const answer = route?.answer ?? {
        status: 404,
        json: { error: { type: "not_found", message: `no fixture route for ${key}` } },
      };
      const spec = typeof answer === "function" ? await answer(request, reply) : answer;
      if (spec) {
        if (spec.delay) await reply.delay(spec.delay);
        reply.send(spec);
      }
    } catch (error) {
      errors.push(error);
      reply.send({
        status: 500,
        json: { error: { type: "fixture_error", message: String(error) } },
      });
    }
  });
  server.keepAliveTimeout = 1_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const fixture: Fixture = {
    url: `http://127.0.0.1:${port}`,
    port,
    route(key, answer) {
      const { method, path } = parseKey(key);
      const normalized = `${method} ${path}`;
      routes = routes.filter((r) => r.key !== normalized);
      routes.push({ key: normalized, method, segments: path.split("/"), answer });
      return fixture;
    },
    count: (key) => fixture.stats(key).count,
    stats(key) {
      if (key === undefined) return { ...total };
      const { method, path } = parseKey(key);
      return { ...(stats.get(`${method} ${path}`) ?? emptyStats()) };
    },
    requests(key) {
      if (key === undefined) return [...log];
      const { method, path } = parseKey(key);
      return log.filter((r) => r.route === `${method} ${path}`);
    },
    errors,
    async waitFor(condition, timeout = 5_000) {
      const deadline = Date.now() + timeout;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`fixture.waitFor: not met within ${timeout} ms`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    reset() {
      routes = [];
      log = [];
      stats = new Map();
      // In-flight requests of before the reset still decrement their own (old) counters.
      total = emptyStats();
      errors.length = 0;
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
    },
  };
  return fixture;
}
