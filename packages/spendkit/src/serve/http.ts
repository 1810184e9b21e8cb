import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@spendkit/core";
import { METRICS_CONTENT_TYPE } from "./metrics.js";
import { onlyParameters, QueryError, type SpendQuery, spendQuery } from "./query.js";

/** The answers the server gives; each is a query of the store, made by the caller. */
export interface ServeRoutes {
  /** Prometheus exposition text. */
  metrics(): Promise<string>;
  ready(): Promise<{ ready: boolean; reason?: string }>;
  balances(): Promise<unknown>;
  spend(query: SpendQuery): Promise<unknown>;
  alerts(): Promise<unknown>;
}

export interface ServerOptions {
  host: string;
  /** 0 takes a free port; RunningServer.port is the one taken. */
  port: number;
  /** The read API's bearer token; without one (or an empty one), /v1 is off. */
  token?: string | undefined;
  routes: ServeRoutes;
  logger: Logger;
  /** The longest an answer may take before it is a 503; default 10 s. */
  requestTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  /** Stops taking connections, lets requests in flight finish (5 s at most), then closes. */
  close(): Promise<void>;
}

const JSON_TYPE = "application/json; charset=utf-8";
const MAX_URL = 2048;
const MAX_HEADERS = 16 * 1024;
const CLOSE_GRACE_MS = 5_000;
const API_OFF = "the read API is off: set SPENDKIT_SERVE_TOKEN to turn it on";

/** A request the server refuses, with the status and a message safe to show. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** What every request needs; `closing` tells responses to end their connection. */
interface Context {
  routes: ServeRoutes;
  logger: Logger;
  token: Buffer | undefined;
  timeoutMs: number;
  closing: boolean;
}

/**
 * The HTTP side of `spendkit serve`: GET and HEAD only, no request bodies, bounded URLs,
 * headers and time; errors answered as JSON without internals; the read API behind a bearer
 * token compared in constant time.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const context: Context = {
    routes: options.routes,
    logger: options.logger,
    token: options.token ? digest(options.token) : undefined,
    timeoutMs: options.requestTimeoutMs ?? 10_000,
    closing: false,
  };
  // No request has a body, so the whole request is its headers: one bound serves both.
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADERS,
      headersTimeout: context.timeoutMs,
      requestTimeout: context.timeoutMs,
    },
    (request, response) => {
      // handle answers every error itself; this is for one thrown while answering or logging.
      handle(request, response, context).catch((error: unknown) => {
        response.destroy();
        options.logger.error("response failed", { error: describe(error) });
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        context.closing = true;
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  context: Context,
): Promise<void> {
  const started = performance.now();
  const { path, query } = splitUrl(request.url ?? "/");
  // Logs name the path only: a query string may carry what the operator would not log.
  const fields = { method: request.method, path: path.slice(0, 200) };
  let answer: Answer;
  try {
    answer = await withTimeout(route(request, path, query, context), context.timeoutMs);
  } catch (error) {
    answer = failure(error, fields, context.logger);
  }
  send(request, response, answer, context.closing);
  context.logger.debug("request", {
    ...fields,
    status: answer.status,
    ms: Math.round(performance.now() - started),
  });
}

/** A refusal as its JSON; anything else as a bare 500, its details for the log only. */
function failure(error: unknown, fields: object, logger: Logger): Answer {
  if (error instanceof QueryError) return json(400, { error: error.message });
  if (error instanceof Refusal) {
    return { ...json(error.status, { error: error.message }), headers: error.headers };
  }
  logger.error("request failed", { ...fields, error: describe(error) });
  return json(500, { error: "internal error" });
}

async function route(
  request: IncomingMessage,
  path: string,
  query: URLSearchParams,
  context: Context,
): Promise<Answer> {
  if ((request.url ?? "").length > MAX_URL) throw new Refusal(414, "the URL is too long");
  if (request.method !== "GET" && request.method !== "HEAD") {
    throw new Refusal(405, "only GET and HEAD are answered", { allow: "GET, HEAD" });
  }
  if (hasBody(request)) throw new Refusal(413, "requests take no body");
  const { routes } = context;
  switch (path) {
    case "/metrics":
      return { status: 200, contentType: METRICS_CONTENT_TYPE, body: await routes.metrics() };
    case "/healthz":
      return json(200, { status: "ok" });
    case "/readyz": {
      const { ready, reason } = await routes.ready();
      return ready
        ? json(200, { status: "ready" })
        : json(503, { status: "not ready", reason: reason ?? "unknown" });
    }
  }
  if (path !== "/v1" && !path.startsWith("/v1/")) throw new Refusal(404, "not found");
  if (!context.token) throw new Refusal(404, API_OFF);
  // Authorized before the path is looked at: without the token, no path under /v1 exists.
  authorize(request, context.token);
  switch (path) {
    case "/v1/balances":
      onlyParameters(query, []);
      return json(200, await routes.balances());
    case "/v1/spend":
      return json(200, await routes.spend(spendQuery(query)));
    case "/v1/alerts":
      onlyParameters(query, []);
      return json(200, await routes.alerts());
  }
  throw new Refusal(404, "not found");
}

/** The path exactly as sent, and its query: `new URL` would read `//x` as a host. */
function splitUrl(raw: string): { path: string; query: URLSearchParams } {
  const at = raw.indexOf("?");
  return at < 0
    ? { path: raw, query: new URLSearchParams() }
    : { path: raw.slice(0, at), query: new URLSearchParams(raw.slice(at + 1)) };
}

function hasBody(request: IncomingMessage): boolean {
  const length = Number(request.headers["content-length"] ?? 0);
  return request.headers["transfer-encoding"] !== undefined || length > 0;
}

function authorize(request: IncomingMessage, token: Buffer): void {
  const given = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? "")?.[1];
  // Digests are of equal length whatever was sent, so the comparison takes the same time.
  if (given === undefined || !timingSafeEqual(digest(given), token)) {
    throw new Refusal(401, "a valid Authorization: Bearer token is required", {
      "www-authenticate": 'Bearer realm="spendkit"',
    });
  }
}

/** An error as its name and message: the stack stays out of the log. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Refusal(503, "timed out")), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function json(status: number, value: unknown): Answer {
  // JSON.stringify gives undefined for undefined or a function: a route's bug, so a 500.
  const body: string | undefined = JSON.stringify(value);
  if (body === undefined) throw new Error("the answer is not JSON");
  return { status, contentType: JSON_TYPE, body };
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  answer: Answer,
  closing: boolean,
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(answer.status, {
    "content-type": answer.contentType,
    "content-length": Buffer.byteLength(answer.body),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    // An unread body is never drained, and a closing server keeps no connection alive.
    ...(hasBody(request) || closing ? { connection: "close" } : {}),
    ...answer.headers,
  });
  response.end(request.method === "HEAD" ? undefined : answer.body);
}
