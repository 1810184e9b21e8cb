// The benchmarks' ByteSpike stand-in: a node:http server on 127.0.0.1 that generates pages of
// wallet transactions on the fly (newest first; honours page, page_size, since and until, and
// requires a bearer key). It runs in its own process, so that the client being measured has the
// bench process to itself and the server's work is the same for every variant compared.
//
// Started by startServer() (bench/lib/common.ts) as plain JavaScript (bench/lib/child.ts); it
// prints {"port": N, "endMs": T} on stdout and exits when stdin closes.
//
// Each dataset is named in the base URL, so one server serves them all:
//   http://127.0.0.1:N/rows/<rows>/delay/<ms>[/upto/<k>][/limit/<n>]   + /api/v1/me/billing/transactions ...
// <rows> is the number of rows in the account, <ms> a latency added to every page.
// /upto/<k>: only rows 1…k are booked yet (the same rows, at the same times, as without it), so
//   a dataset can grow between two syncs.
// /limit/<n>: n > 0 enforces n requests per one-second window (aligned to whole seconds) with
//   429s beyond, and states it in X-RateLimit-Limit/-Remaining/-Reset; n = 0 states no limit.
//   Without it, every response states a static 600/min.
// GET /stats answers {requests, limited}: requests served and 429s sent, over all datasets.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pageJson, SPACING_MS } from "./data.js";

const PREFIX = /^\/rows\/(\d+)\/delay\/(\d+)(?:\/upto\/(\d+))?(?:\/limit\/(\d+))?(\/.*)$/;
const stats = { requests: 0, limited: 0 };
const windows = { second: 0, used: 0 };
// The newest row of every dataset is a minute older than the server, so that a client that pins
// `until` to "now" sees all of them.
const END_MS = Math.floor(Date.now() / 1000) * 1000 - 60_000;

const ACCOUNT = JSON.stringify({
  user: {
    id: "usr_bench",
    username: "bench",
    email: "bench@example.com",
    created_at: "2025-11-02T09:12:44Z",
    tier: "pro",
  },
  balance: {
    available_usd: 81.4,
    lifetime_topup_usd: 155,
    lifetime_spent_usd: 73.6,
    low_balance_threshold_usd: 5,
    low_balance_flagged: false,
  },
  allowed_models: [],
  org: null,
});

/** The rate-limit headers of a response; `limit` undefined: the static default. */
function limitHeaders(limit: number | undefined): Record<string, string> {
  if (limit === 0) return {};
  if (limit === undefined) {
    return {
      "x-ratelimit-limit": "600",
      "x-ratelimit-remaining": "599",
      "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 60),
    };
  }
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(Math.max(0, limit - windows.used)),
    "x-ratelimit-reset": String(windows.second + 1),
  };
}

/** Counts a request against an enforced limit; false when it is over. */
function admit(limit: number | undefined): boolean {
  if (!limit) return true;
  const second = Math.floor(Date.now() / 1000);
  if (second !== windows.second) {
    windows.second = second;
    windows.used = 0;
  }
  if (windows.used >= limit) return false;
  windows.used++;
  return true;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  delay: number,
  limit?: number,
): void {
  const write = () => {
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      ...limitHeaders(limit),
      "x-request-id": "req_bench",
    });
    res.end(body);
  };
  if (delay > 0) setTimeout(write, delay);
  else write();
}

function error(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, JSON.stringify({ error: { type, message } }), 0);
}

function instant(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? Number.NaN : ms;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const match = PREFIX.exec(url.pathname);
  const rows = match ? Number(match[1]) : 1_000;
  const delay = match ? Number(match[2]) : 0;
  const upto = match?.[3] === undefined ? rows : Math.min(rows, Number(match[3]));
  const limit = match?.[4] === undefined ? undefined : Number(match[4]);
  const path = match ? match[5]! : url.pathname;
  if (path === "/stats") return send(res, 200, JSON.stringify(stats), 0, 0);
  stats.requests++;
  if (!admit(limit)) {
    stats.limited++;
    res.writeHead(429, {
      "content-type": "application/json",
      "retry-after": "1",
      ...limitHeaders(limit),
    });
    return res.end('{"error":{"type":"rate_limit_error","message":"slow down"}}');
  }
  if (!/^Bearer \S+/.test(req.headers.authorization ?? "")) {
    return error(res, 401, "authentication_error", "Invalid API key");
  }
  if (req.method !== "GET") return error(res, 405, "invalid_request_error", "method not allowed");
  if (path === "/api/v1/me/billing/transactions") {
    const q = url.searchParams;
    const page = Number(q.get("page") ?? 1);
    const pageSize = Number(q.get("page_size") ?? 50);
    const sinceMs = instant(q.get("since"));
    const untilMs = instant(q.get("until"));
    if (!Number.isInteger(page) || page < 1) {
      return error(res, 400, "invalid_request_error", "page must be at least 1");
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) {
      return error(res, 400, "invalid_request_error", "page_size must be between 1 and 200");
    }
    if (Number.isNaN(sinceMs) || Number.isNaN(untilMs)) {
      return error(res, 400, "invalid_request_error", "since/until must be RFC 3339 date-times");
    }
    // Rows after `upto` are not booked yet: the window ends just after row `upto`.
    const bookedUntil = END_MS - (rows - upto) * SPACING_MS + 1;
    const body = pageJson({
      rows,
      endMs: END_MS,
      page,
      pageSize,
      sinceMs,
      untilMs: Math.min(untilMs ?? bookedUntil, bookedUntil),
    });
    return send(res, 200, body, delay, limit);
  }
  if (path === "/api/v1/me/account") return send(res, 200, ACCOUNT, delay, limit);
  if (path === "/api/v1/me/usage") {
    return send(
      res,
      200,
      JSON.stringify({
        buckets: [],
        totals: { total_usd: 0, input_tokens: 0, output_tokens: 0, call_count: 0 },
      }),
      delay,
      limit,
    );
  }
  return error(res, 404, "not_found_error", `no route ${req.method} ${path}`);
});

server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port, endMs: END_MS })}\n`);
});
// The parent holds stdin open; when it goes away (or ends the pipe), so does the server.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
process.stdin.resume();
