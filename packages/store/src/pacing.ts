export interface PacingOptions {
  /** The account's limit when the server does not state one. Absent: no pacing without headers. */
  requestsPerMinute?: number | undefined;
  /** The fetch to wrap; default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** A fetch that paces itself, and what it has seen (for progress and benchmarks). */
export type PacedFetch = typeof fetch & {
  readonly stats: { requests: number; rateLimited: number; waitedMs: number };
};

/**
 * A `fetch` for a client factory's `fetch` option that spaces requests to stay under an
 * account's rate limit instead of running into 429s:
 *
 * - when the server states its limit (`X-RateLimit-Remaining` and `X-RateLimit-Reset`, as
 *   ByteSpike sends them), requests go out while some are left (less those already on their
 *   way), and none before the reset once none is left: what the server allows, and no less;
 * - otherwise requests are `60 000 / requestsPerMinute` ms apart;
 * - a 429's `Retry-After` holds back every request until then (core retries the 429 itself).
 *
 * Concurrent requests (a prefetching adapter) take turns, so the spacing holds across them.
 */
export function pacedFetch(options: PacingOptions = {}): PacedFetch {
  const inner = options.fetch ?? globalThis.fetch;
  const interval =
    options.requestsPerMinute && options.requestsPerMinute > 0
      ? 60_000 / options.requestsPerMinute
      : 0;
  /** The server's word: requests left in its window (less those sent since), and its end. */
  let stated: { left: number; limit: number | undefined; resetAt: number } | undefined;
  let nextAt = 0;
  let sent = 0;
  let gate: Promise<void> = Promise.resolve();
  const stats = { requests: 0, rateLimited: 0, waitedMs: 0 };

  const wait = async (until: number, signal: AbortSignal | undefined) => {
    const ms = until - Date.now();
    if (ms <= 0) return;
    stats.waitedMs += ms;
    await sleep(ms, signal);
  };

  /**
   * Waits for this request's turn. Turns are taken one at a time: with a stated limit, a turn
   * spends one of the requests left, and waits for the window's reset when none is; without,
   * the next turn is counted from when this one actually leaves, so a timer that fires late
   * never bunches two requests.
   */
  const turn = (signal: AbortSignal | undefined) => {
    const mine = gate.then(async () => {
      await wait(nextAt, signal);
      if (stated) {
        if (stated.left <= 0) {
          await wait(stated.resetAt, signal);
          stated = stated.limit === undefined ? undefined : { ...stated, left: stated.limit };
        }
        if (stated) stated.left--;
      } else {
        nextAt = Date.now() + interval;
      }
    });
    gate = mine.catch(() => {});
    return mine;
  };

  const paced = async (input: RequestInfo | URL, init?: RequestInit) => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    await turn(signal ?? undefined);
    stats.requests++;
    const mine = ++sent;
    const response = await inner(input, init);
    const headers = statedLimit(response.headers);
    // An answer about an older window than the one known (it arrived late) says nothing new.
    if (headers && (!stated || headers.resetAt >= stated.resetAt)) {
      // Requests sent after this one may not be counted in its answer yet: take them off.
      stated = { ...headers, left: headers.remaining - (sent - mine) };
    }
    if (response.status === 429) {
      stats.rateLimited++;
      const retryAfter = retryAfterMs(response.headers.get("retry-after"));
      nextAt = Math.max(nextAt, Date.now() + (retryAfter ?? interval));
    }
    return response;
  };
  return Object.assign(paced, { stats }) as PacedFetch;
}

/** What the X-RateLimit headers say, when they say it. */
function statedLimit(
  headers: Headers,
): { remaining: number; limit: number | undefined; resetAt: number } | undefined {
  const remaining = Number(headers.get("x-ratelimit-remaining") ?? Number.NaN);
  const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
  if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return undefined;
  const limit = Number(headers.get("x-ratelimit-limit") ?? Number.NaN);
  return {
    remaining,
    limit: Number.isFinite(limit) && limit > 0 ? limit : undefined,
    // Unix seconds (ByteSpike); small values are read as seconds from now.
    resetAt: reset > 1e9 ? reset * 1000 : Date.now() + reset * 1000,
  };
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
