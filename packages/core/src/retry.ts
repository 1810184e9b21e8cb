/**
 * When to try again, and how long to wait. The policy follows what the providers document and
 * what the best SDKs do: transient statuses and dropped connections are retried with
 * exponential backoff and full jitter, and a server that says when to come back is obeyed, up
 * to a cap.
 */

export interface Backoff {
  /** First backoff ceiling in ms; doubles each attempt. Default 500. */
  initialDelay?: number;
  /** Largest backoff ceiling in ms. Default 8_000. */
  maxDelay?: number;
  /**
   * Longest wait a server may impose (Retry-After, X-RateLimit-Reset) in ms; a longer request
   * is shortened to this, and the retry made then. Default 60_000.
   */
  maxServerDelay?: number;
}

/** The largest delay setTimeout honours; longer ones fire at once. */
export const MAX_DELAY = 2_147_483_647;

const TRANSIENT_STATUSES = [408, 429, 500, 502, 503, 504];

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.includes(status);
}

/** Full jitter: a uniformly random wait between 0 and the attempt's exponential ceiling. */
export function backoffDelay(attempt: number, backoff: Backoff = {}, random = Math.random): number {
  const initial = backoff.initialDelay ?? 500;
  const max = backoff.maxDelay ?? 8_000;
  return Math.floor(random() * Math.min(max, initial * 2 ** attempt));
}

/**
 * The wait a response asks for, in ms: `Retry-After` (seconds or an HTTP date), else, when
 * `rateLimited`, `X-RateLimit-Reset` (unix seconds; a value too small to be a date is read as
 * seconds from now). Undefined when it asks for none. Many APIs send X-RateLimit-Reset on every
 * response; it only says when to retry a response that was rate limited.
 */
export function serverDelay(
  headers: Headers,
  now = Date.now(),
  rateLimited = true,
): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = rateLimited ? headers.get("x-ratelimit-reset")?.trim() : undefined;
  if (reset && /^\d+$/.test(reset)) {
    const seconds = Number(reset);
    return Math.max(0, seconds < 1e9 ? seconds * 1000 : seconds * 1000 - now);
  }
  return undefined;
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** Makes `controller` abort, with the same reason, when `signal` does; returns the unlinker. */
export function follow(signal: AbortSignal | undefined, controller: AbortController): () => void {
  const abort = () => controller.abort(signal?.reason);
  if (signal?.aborted) abort();
  else signal?.addEventListener("abort", abort, { once: true });
  return () => signal?.removeEventListener("abort", abort);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return abortable(
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.min(ms, MAX_DELAY));
    }),
    signal,
  ).finally(() => clearTimeout(timer));
}
