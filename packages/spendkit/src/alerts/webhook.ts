import { createHmac } from "node:crypto";
import type { Alert } from "./alert.js";
import { alertBody, type WebhookFormat } from "./payload.js";

/** A webhook ready to send to: its secret already read from the variable the config names. */
export interface WebhookTarget {
  name: string;
  url: string;
  format: WebhookFormat;
  secret?: string | undefined;
}

export interface DeliveryOptions {
  fetch?: typeof fetch;
  now?: () => Date;
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** Per attempt, from the request to the end of reading the response. Default 10_000. */
  timeoutMs?: number;
  /** First backoff ceiling; doubles each retry. Default 500. */
  baseDelayMs?: number;
  /** Longest wait between attempts, a receiver's Retry-After included. Default 30_000. */
  maxDelayMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export type DeliveryResult =
  | { delivered: true; attempts: number; status: number }
  | {
      delivered: false;
      attempts: number;
      /** True when trying again later is pointless (a 4xx, a redirect). */
      final: boolean;
      /** Safe to log and store: never the URL, the secret nor a header value. */
      reason: string;
    };

/** The most of a response read before the rest is cancelled; its content is never used. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

const USER_AGENT = "spendkit-webhook/1";
/** The largest delay setTimeout honours; longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** `sha256=` and the lowercase hex HMAC-SHA256 of `<timestamp>.<body>` keyed by the secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What one attempt came to. */
type Attempt =
  | { kind: "delivered"; status: number }
  | { kind: "final"; reason: string }
  | { kind: "retry"; reason: string; waitMs?: number | undefined };

type Settings = Required<Omit<DeliveryOptions, "signal">> & { signal?: AbortSignal | undefined };

/**
 * POSTs `alert` to the webhook, signed when it has a secret, retrying transient failures (5xx,
 * 429, timeouts, dropped connections) with exponential backoff and full jitter. Never throws for
 * network or HTTP trouble: the result says what happened. Throws only when `options.signal`
 * aborts, with its reason.
 */
export async function deliverWebhook(
  target: WebhookTarget,
  alert: Alert,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const settings = resolve(options);
  // One body for every attempt: a receiver that dedups on the id sees identical bytes.
  const body = alertBody(alert, target.format);
  for (let attempt = 1, wait: number | undefined; ; attempt++) {
    if (wait !== undefined) await settings.sleep(wait, settings.signal);
    // Also after a sleep that ignored the signal: nothing more is sent once it aborted.
    settings.signal?.throwIfAborted();
    const outcome = await attemptOnce(target, alert.id, body, settings);
    if (outcome.kind === "delivered") {
      return { delivered: true, attempts: attempt, status: outcome.status };
    }
    if (outcome.kind === "final") {
      return { delivered: false, attempts: attempt, final: true, reason: outcome.reason };
    }
    if (attempt === settings.maxAttempts) {
      const reason = `${outcome.reason}; gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}`;
      return { delivered: false, attempts: attempt, final: false, reason };
    }
    wait = waitBefore(attempt, outcome.waitMs, settings);
  }
}

function resolve(options: DeliveryOptions): Settings {
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError("maxAttempts must be a whole number of at least 1");
  }
  return {
    // The global read at each call, so one replaced later (a test, a polyfill) is the one used.
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    now: options.now ?? (() => new Date()),
    maxAttempts,
    timeoutMs: options.timeoutMs ?? 10_000,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    sleep: options.sleep ?? sleep,
    signal: options.signal,
  };
}

/**
 * The wait before retry number `retry` (1 for the second attempt): the receiver's Retry-After
 * when it sent one, capped so a receiver cannot stall the run; else full jitter, a uniformly
 * random wait up to the exponential ceiling, so many senders that failed together spread out.
 */
function waitBefore(retry: number, asked: number | undefined, settings: Settings): number {
  if (asked !== undefined) return Math.min(asked, settings.maxDelayMs);
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(Math.random() * ceiling);
}

/** One POST, with a fresh timestamp and signature, and the timeout covering the whole exchange. */
async function attemptOnce(
  target: WebhookTarget,
  alertId: string,
  body: string,
  settings: Settings,
): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort();
    },
    Math.min(settings.timeoutMs, MAX_TIMER_MS),
  );
  const abort = () => controller.abort(settings.signal?.reason);
  settings.signal?.addEventListener("abort", abort, { once: true });
  try {
    let response: Response;
    try {
      response = await settings.fetch(target.url, {
        method: "POST",
        headers: headers(target, alertId, body, settings.now()),
        body,
        // A redirect would carry the alert, and its signature, to wherever the receiver points.
        redirect: "manual",
        signal: controller.signal,
      });
    } catch (error) {
      settings.signal?.throwIfAborted();
      if (timedOut) return { kind: "retry", reason: `timeout after ${settings.timeoutMs} ms` };
      return { kind: "retry", reason: `network error (${errorCode(error)})` };
    }
    // Once the receiver has answered, its answer is the result, whatever happens to the body.
    await discard(response);
    return judge(response, settings.now());
  } finally {
    clearTimeout(timer);
    settings.signal?.removeEventListener("abort", abort);
  }
}

function headers(target: WebhookTarget, alertId: string, body: string, now: Date) {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "x-spendkit-timestamp": timestamp,
    "x-spendkit-alert-id": alertId,
    ...(target.secret ? { "x-spendkit-signature": signature(target.secret, timestamp, body) } : {}),
  };
}

/** What a response means for the delivery. Described by status alone: nothing it said is echoed. */
function judge(response: Response, now: Date): Attempt {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  if (status >= 300 && status < 400) {
    return {
      kind: "final",
      reason: `the receiver answered with a redirect (HTTP ${status}); spendkit does not follow webhook redirects`,
    };
  }
  if (status === 429 || status >= 500) {
    const waitMs = status === 429 || status === 503 ? retryAfter(response.headers, now) : undefined;
    return { kind: "retry", reason: `HTTP ${status}`, waitMs };
  }
  return { kind: "final", reason: `the receiver refused the alert (HTTP ${status})` };
}

/** `Retry-After` in ms, as seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfter(headers: Headers, now: Date): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

/**
 * Reads the response to its end, up to MAX_RESPONSE_BYTES, then cancels the rest. Reading frees
 * the connection for reuse; the bound keeps a receiver that streams without end from holding
 * the delivery or filling memory (chunks are dropped as they arrive).
 */
async function discard(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  let read = 0;
  try {
    while (read <= MAX_RESPONSE_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
    await reader.cancel();
  } catch {
    // A body cut off or timed out changes nothing: the status was the answer.
  } finally {
    reader.releaseLock();
  }
}

/**
 * A failed request described by its error code or class only. The messages of fetch's errors
 * can hold the URL, its host or its port ("connect ECONNREFUSED host:port", "Failed to parse
 * URL from …"), and a webhook URL is often itself a secret.
 */
function errorCode(error: unknown): string {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code: unknown = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) return code;
  }
  return error instanceof Error && /^[A-Za-z]{1,64}$/.test(error.name) ? error.name : "Error";
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", abort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    if (signal?.aborted) abort();
    else signal?.addEventListener("abort", abort, { once: true });
  });
}
