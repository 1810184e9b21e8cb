/**
 * When to try again, and how long to wait. The policy follows what the providers document and
 * what the best SDKs do: transient statuses and dropped connections are retried with
 * exponential backoff and full jitter, and a server that says when to come back is obeyed.
 */

export interface Backoff {
  /** First backoff ceiling in ms; doubles each attempt. Default 500. */
  initialDelay?: number;
  /** Largest backoff ceiling in ms. Default 8_000. */
  maxDelay?: number;
  /**
   * Longest wait a server may ask for (Retry-After, X-RateLimit-Reset) in ms. A server that asks
   * for more gets the error back at once rather than a client that hangs. Default 60_000.
   */
  maxServerDelay?: number;
}

const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

/** Full jitter: a uniformly random wait between 0 and the attempt's exponential ceiling. */
export function backoffDelay(attempt: number, backoff: Backoff = {}, random = Math.random): number {
  const initial = backoff.initialDelay ?? 500;
  const max = backoff.maxDelay ?? 8_000;
  return Math.floor(random() * Math.min(max, initial * 2 ** attempt));
}

/**
 * The wait a response asks for, in ms, from `Retry-After` (seconds or an HTTP date) or
 * `X-RateLimit-Reset` (unix seconds); undefined when it asks for none.
 */
export function serverDelay(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("x-ratelimit-reset")?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
