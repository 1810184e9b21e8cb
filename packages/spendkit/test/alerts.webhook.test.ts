import { createHmac, timingSafeEqual } from "node:crypto";
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Alert } from "../src/alerts/alert.js";
import { alertBody } from "../src/alerts/payload.js";
import {
  type DeliveryOptions,
  type DeliveryResult,
  deliverWebhook,
  MAX_RESPONSE_BYTES,
  signature,
  type WebhookTarget,
} from "../src/alerts/webhook.js";

const SECRET = "s3cr3t-value";
/** A Slack-like token in the URL path: as secret as the signing key. */
const TOKEN_PATH = "/services/T000/B000/XXXXsecret";
/** A whole second, so the timestamp header is exactly T0 / 1000. */
const T0 = Date.UTC(2025, 2, 14, 9, 30, 0);

const alert: Alert = {
  id: "budget-7f3a",
  rule: { kind: "budget", name: "team-monthly" },
  scope: { provider: "openai" },
  period: { start: "2025-03-01T00:00:00.000Z", end: "2025-04-01T00:00:00.000Z" },
  threshold: "0.8",
  observed: "0.10",
  limit: "0.12",
  currency: "USD",
  firedAt: "2025-03-14T09:30:00.000Z",
  message: "R&D <team> spent 0.10 USD of 0.12 USD",
};

interface Received {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  /** The receiver's own check of X-Spendkit-Signature over the raw bytes it got. */
  signed: boolean;
}

interface Receiver {
  url: string;
  origin: string;
  port: number;
  requests: Received[];
}

type Reply = (res: ServerResponse, index: number) => void;

const servers: Server[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map(close));
});

function close(server: Server): Promise<void> {
  // A receiver that never answered still holds its connections: end them, or close waits.
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Verifies like a receiver would: HMAC of "<timestamp>.<raw body bytes>", compared in constant time. */
function verifies(headers: IncomingHttpHeaders, raw: Buffer): boolean {
  const given = headers["x-spendkit-signature"];
  const timestamp = headers["x-spendkit-timestamp"];
  if (typeof given !== "string" || typeof timestamp !== "string") return false;
  const hmac = createHmac("sha256", SECRET).update(`${timestamp}.`).update(raw).digest("hex");
  const expected = Buffer.from(`sha256=${hmac}`);
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A real HTTP receiver on a free loopback port; `reply` answers the nth request (from 0). */
async function receiver(reply: Reply): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      requests.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: raw.toString("utf8"),
        signed: verifies(req.headers, raw),
      });
      reply(res, requests.length - 1);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return { url: `${origin}${TOKEN_PATH}`, origin, port, requests };
}

const status =
  (code: number, headers: Record<string, string> = {}): Reply =>
  (res) =>
    res.writeHead(code, headers).end();

/** Answers each request in turn with the next reply; the last one repeats. */
const sequence =
  (...replies: Reply[]): Reply =>
  (res, index) =>
    replies[Math.min(index, replies.length - 1)]!(res, index);

const target = (url: string, extra: Partial<WebhookTarget> = {}): WebhookTarget => ({
  name: "ops",
  url,
  format: "json",
  secret: SECRET,
  ...extra,
});

/** Options that never really sleep: the delays asked for are recorded instead. */
function fast(extra: DeliveryOptions = {}): DeliveryOptions & { delays: number[] } {
  const delays: number[] = [];
  return {
    now: () => new Date(T0),
    sleep: async (ms) => {
      delays.push(ms);
    },
    delays,
    ...extra,
  };
}

/** Settles like `promise`, or fails the test once `ms` have passed: a hang shows as a failure. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A failure's reason names nothing that could be a secret: not the URL, its host, port, token, nor the key. */
function expectSafe(result: DeliveryResult, where: Receiver | { url: string; port: number }) {
  expect(result.delivered).toBe(false);
  const reason = result.delivered ? "" : result.reason;
  for (const secret of [SECRET, "XXXXsecret", "T000", where.url, "127.0.0.1", String(where.port)]) {
    expect(reason).not.toContain(secret);
  }
  expect(reason).not.toMatch(/https?:|sha256=/);
}

describe("signature", () => {
  it("is sha256= and the lowercase hex HMAC-SHA256 of '<timestamp>.<body>'", () => {
    const expected = createHmac("sha256", "k").update("1700000000.{}").digest("hex");
    expect(signature("k", "1700000000", "{}")).toBe(`sha256=${expected}`);
    expect(signature("k", "1700000000", "{}")).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signature("k", "1700000001", "{}")).not.toBe(signature("k", "1700000000", "{}"));
  });
});

describe("delivering a webhook", () => {
  it("POSTs the JSON body, signed over exactly the bytes sent", async () => {
    const hook = await receiver(status(204));
    const result = await deliverWebhook(target(hook.url), alert, fast());
    expect(result).toEqual({ delivered: true, attempts: 1, status: 204 });
    expect(hook.requests).toHaveLength(1);
    const [request] = hook.requests;
    expect(request).toMatchObject({ method: "POST", path: TOKEN_PATH, signed: true });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["user-agent"]).toMatch(/^spendkit-webhook\//);
    expect(request!.headers["x-spendkit-timestamp"]).toBe(String(T0 / 1000));
    expect(request!.headers["x-spendkit-alert-id"]).toBe("budget-7f3a");
    expect(request!.body).toBe(alertBody(alert, "json"));
    const body = JSON.parse(request!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: "spendkit.alert", observed: "0.10", limit: "0.12" });
  });

  it("signs a body that is not ASCII over its UTF-8 bytes", async () => {
    const hook = await receiver(status(200));
    const accented = { ...alert, message: "Dépense: 0.10 € — 予算 ✓" };
    const result = await deliverWebhook(target(hook.url), accented, fast());
    expect(result.delivered).toBe(true);
    expect(hook.requests[0]!.signed).toBe(true);
    expect(JSON.parse(hook.requests[0]!.body).message).toBe(accented.message);
  });

  it("sends Slack's {text}, escaped", async () => {
    const hook = await receiver(status(200));
    const result = await deliverWebhook(target(hook.url, { format: "slack" }), alert, fast());
    expect(result.delivered).toBe(true);
    expect(hook.requests[0]!.signed).toBe(true);
    const body = JSON.parse(hook.requests[0]!.body) as { text: string };
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toContain("R&amp;D &lt;team&gt; spent 0.10 USD of 0.12 USD\n");
    expect(body.text).toContain("budget-7f3a");
  });

  it("sends no signature without a secret", async () => {
    const hook = await receiver(status(200));
    const result = await deliverWebhook(target(hook.url, { secret: undefined }), alert, fast());
    expect(result.delivered).toBe(true);
    expect(hook.requests[0]!.headers).not.toHaveProperty("x-spendkit-signature");
    expect(hook.requests[0]!.headers["x-spendkit-timestamp"]).toBe(String(T0 / 1000));
  });
});

describe("retrying", () => {
  it("retries a 500, with a fresh timestamp and signature, and delivers on the second attempt", async () => {
    const hook = await receiver(sequence(status(500), status(200)));
    // A clock that moves a second each time it is read.
    let clock = T0;
    const options = fast({
      now: () => {
        clock += 1000;
        return new Date(clock);
      },
    });
    const result = await deliverWebhook(target(hook.url), alert, options);
    expect(result).toEqual({ delivered: true, attempts: 2, status: 200 });
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests.every((r) => r.signed)).toBe(true);
    const [first, second] = hook.requests.map((r) => r.headers);
    expect(Number(second!["x-spendkit-timestamp"])).toBeGreaterThan(
      Number(first!["x-spendkit-timestamp"]),
    );
    expect(second!["x-spendkit-signature"]).not.toBe(first!["x-spendkit-signature"]);
    expect(hook.requests[1]!.body).toBe(hook.requests[0]!.body);
    expect(second!["x-spendkit-alert-id"]).toBe(first!["x-spendkit-alert-id"]);
    expect(options.delays).toHaveLength(1);
    expect(options.delays[0]).toBeGreaterThanOrEqual(0);
    expect(options.delays[0]).toBeLessThan(500);
  });

  it("honours a 429's Retry-After in seconds", async () => {
    const hook = await receiver(sequence(status(429, { "retry-after": "1" }), status(200)));
    const options = fast();
    const result = await deliverWebhook(target(hook.url), alert, options);
    expect(result).toEqual({ delivered: true, attempts: 2, status: 200 });
    expect(options.delays).toEqual([1000]);
  });

  it("honours a 503's Retry-After as an HTTP date", async () => {
    const at = new Date(T0 + 5000).toUTCString();
    const hook = await receiver(sequence(status(503, { "retry-after": at }), status(200)));
    const options = fast();
    const result = await deliverWebhook(target(hook.url), alert, options);
    expect(result.delivered).toBe(true);
    expect(options.delays).toEqual([5000]);
  });

  it("caps a Retry-After longer than maxDelayMs", async () => {
    const hook = await receiver(sequence(status(429, { "retry-after": "3600" }), status(200)));
    const options = fast({ maxDelayMs: 2000 });
    await deliverWebhook(target(hook.url), alert, options);
    expect(options.delays).toEqual([2000]);
  });

  it("ignores Retry-After on a 500: backoff with jitter instead", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const hook = await receiver(sequence(status(500, { "retry-after": "20" }), status(200)));
    const options = fast();
    await deliverWebhook(target(hook.url), alert, options);
    expect(options.delays).toEqual([250]);
  });

  it("gives up on a 503 after maxAttempts, not final: a later run may succeed", async () => {
    const hook = await receiver(status(503));
    const options = fast({ maxAttempts: 3 });
    const result = await deliverWebhook(target(hook.url), alert, options);
    expect(result).toMatchObject({ delivered: false, attempts: 3, final: false });
    expect(result.delivered ? "" : result.reason).toContain("HTTP 503");
    expect(hook.requests).toHaveLength(3);
    expect(hook.requests.every((r) => r.signed)).toBe(true);
    expect(options.delays).toHaveLength(2);
    expectSafe(result, hook);
  });

  it("backs off exponentially, each wait bounded by maxDelayMs", async () => {
    // The top of each jitter range, so the ceilings themselves show.
    vi.spyOn(Math, "random").mockReturnValue(0.999999);
    const hook = await receiver(status(502));
    const options = fast({ maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 1000 });
    const result = await deliverWebhook(target(hook.url), alert, options);
    expect(result).toMatchObject({ delivered: false, attempts: 7, final: false });
    expect(options.delays).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it("draws each wait within its jitter range", async () => {
    const hook = await receiver(status(500));
    const options = fast({ maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 1500 });
    await deliverWebhook(target(hook.url), alert, options);
    const ceilings = [200, 400, 800, 1500, 1500];
    expect(options.delays).toHaveLength(ceilings.length);
    options.delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceilings[i]!);
    });
  });

  it("retries a receiver that does not answer in time, then gives up", async () => {
    const hook = await receiver(() => {});
    const options = fast({ timeoutMs: 100, maxAttempts: 2 });
    const result = await deliverWebhook(target(hook.url), alert, options);
    expect(result).toMatchObject({ delivered: false, attempts: 2, final: false });
    expect(result.delivered ? "" : result.reason).toContain("timeout after 100 ms");
    expect(hook.requests).toHaveLength(2);
    expectSafe(result, hook);
  });

  it("retries a refused connection, and says so by its code alone", async () => {
    const gone = await receiver(status(200));
    await close(servers.pop()!);
    const options = fast({ maxAttempts: 2 });
    const result = await deliverWebhook(target(gone.url), alert, options);
    expect(result).toMatchObject({ delivered: false, attempts: 2, final: false });
    expect(result.delivered ? "" : result.reason).toContain("ECONNREFUSED");
    expectSafe(result, gone);
  });
});

describe("final failures", () => {
  it.each([400, 401, 404, 410])("does not retry HTTP %i", async (code) => {
    const hook = await receiver(status(code));
    const options = fast();
    const result = await deliverWebhook(target(hook.url), alert, options);
    expect(result).toMatchObject({ delivered: false, attempts: 1, final: true });
    expect(result.delivered ? "" : result.reason).toContain(`HTTP ${code}`);
    expect(hook.requests).toHaveLength(1);
    expect(options.delays).toEqual([]);
    expectSafe(result, hook);
  });

  it.each([301, 302, 307, 308])("never follows a %i to another origin", async (code) => {
    const elsewhere = await receiver(status(200));
    const hook = await receiver(status(code, { location: `${elsewhere.url}?stolen=1` }));
    const result = await deliverWebhook(target(hook.url), alert, fast());
    expect(result).toMatchObject({ delivered: false, attempts: 1, final: true });
    expect(result.delivered ? "" : result.reason).toContain("redirect");
    expect(hook.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    expectSafe(result, elsewhere);
    expectSafe(result, hook);
  });
});

describe("secrets", () => {
  it("never echo the URL, the key or what the receiver said into a reason", async () => {
    const hook = await receiver((res) =>
      res
        .writeHead(403, { "content-type": "text/plain" })
        .end(`bad signature for ${TOKEN_PATH} with key ${SECRET}`),
    );
    const result = await deliverWebhook(target(hook.url), alert, fast());
    expect(result).toMatchObject({ delivered: false, final: true });
    expectSafe(result, hook);
  });

  it("never echo a failing fetch's message, which may hold the URL", async () => {
    const url = `https://hooks.example.com${TOKEN_PATH}`;
    const leaky: typeof fetch = async (input) => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error(`connect ECONNRESET ${String(input)} ${SECRET}`), {
          code: "ECONNRESET",
        }),
      });
    };
    const result = await deliverWebhook(target(url), alert, fast({ fetch: leaky, maxAttempts: 2 }));
    expect(result).toMatchObject({ delivered: false, attempts: 2, final: false });
    expect(result.delivered ? "" : result.reason).toContain("ECONNRESET");
    expectSafe(result, { url, port: 443 });
  });

  it("never echo a thrown value that is not an error", async () => {
    const url = `https://hooks.example.com${TOKEN_PATH}`;
    const odd: typeof fetch = async () => {
      throw `${url} ${SECRET}`;
    };
    const result = await deliverWebhook(target(url), alert, fast({ fetch: odd, maxAttempts: 1 }));
    expectSafe(result, { url, port: 443 });
  });
});

describe("aborting", () => {
  it("rejects with the signal's reason while waiting for the receiver", async () => {
    const controller = new AbortController();
    const stop = new Error("stopped by the user");
    const hook = await receiver(() => controller.abort(stop));
    const delivery = deliverWebhook(target(hook.url), alert, fast({ signal: controller.signal }));
    await expect(delivery).rejects.toBe(stop);
    expect(hook.requests).toHaveLength(1);
  });

  it("rejects while waiting between attempts", async () => {
    const controller = new AbortController();
    const stop = new Error("stopped");
    const hook = await receiver(status(429, { "retry-after": "30" }));
    // The default sleep: a real 30 s wait, cut short by the abort.
    const delivery = deliverWebhook(target(hook.url), alert, {
      signal: controller.signal,
      now: () => new Date(T0),
    });
    while (hook.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    setTimeout(() => controller.abort(stop), 20);
    await expect(within(delivery, 5000)).rejects.toBe(stop);
    expect(hook.requests).toHaveLength(1);
  });

  it("rejects after an injected sleep that ignored the signal, without another attempt", async () => {
    const controller = new AbortController();
    const hook = await receiver(status(500));
    const options = fast({ signal: controller.signal });
    options.sleep = async () => controller.abort(new Error("late"));
    await expect(deliverWebhook(target(hook.url), alert, options)).rejects.toThrow("late");
    expect(hook.requests).toHaveLength(1);
  });

  it("sends nothing when already aborted", async () => {
    const hook = await receiver(status(200));
    const signal = AbortSignal.abort(new Error("already"));
    await expect(deliverWebhook(target(hook.url), alert, fast({ signal }))).rejects.toThrow(
      "already",
    );
    expect(hook.requests).toHaveLength(0);
  });
});

describe("the response body", () => {
  it("is read only up to a bound, and the rest cancelled", async () => {
    // An endless body: buffering it whole would never end, and reading it to the timeout would
    // pull far more than the bound.
    let closed!: () => void;
    const receiverSawClose = new Promise<void>((resolve) => (closed = resolve));
    const hook = await receiver((res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on("drain", pump);
      res.on("close", () => closed());
      pump();
    });
    let pulled = 0;
    const counting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await reader.read();
          if (chunk.done) return controller.close();
          pulled += chunk.value.byteLength;
          controller.enqueue(chunk.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const delivery = deliverWebhook(
      target(hook.url),
      alert,
      fast({ fetch: counting, timeoutMs: 20_000 }),
    );
    const result = await within(delivery, 10_000);
    expect(result).toEqual({ delivered: true, attempts: 1, status: 200 });
    expect(pulled).toBeGreaterThan(MAX_RESPONSE_BYTES);
    expect(pulled).toBeLessThan(MAX_RESPONSE_BYTES + 1024 * 1024);
    // Cancelling reached the receiver: its connection was closed, not left streaming.
    await within(receiverSawClose, 5000);
  });
});
