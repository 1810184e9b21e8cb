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
 *   ByteSpike sends them), the requests left are spread evenly over the time to the reset, and
 *   none is sent before the reset once none is left;
 * - otherwise requests are `60 000 / requestsPerMinute` ms apart;
 * - a 429's `Retry-After` holds back every request until then (core retries the 429 itself).
 *
 * Concurrent requests (a prefetching adapter) take turns, so the spacing holds across them.
 */
export function pacedFetch(options: PacingOptions = {}): PacedFetch {
  const inner = options.fetch ?? globalThis.fetch;
  const configured =
    options.requestsPerMinute && options.requestsPerMinute > 0
      ? 60_000 / options.requestsPerMinute
      : 0;
  let interval = configured;
  let nextAt = 0;
  let inFlight = 0;
  let gate: Promise<void> = Promise.resolve();
  const stats = { requests: 0, rateLimited: 0, waitedMs: 0 };

  /**
   * Waits for this request's turn. Turns are taken one at a time and the next one is counted
   * from when this one actually leaves, so a timer that fires late never bunches two requests.
   */
  const turn = (signal: AbortSignal | undefined) => {
    const mine = gate.then(async () => {
      const wait = nextAt - Date.now();
      if (wait > 0) {
        stats.waitedMs += wait;
        await sleep(wait, signal);
      }
      nextAt = Date.now() + interval;
    });
    gate = mine.catch(() => {});
    return mine;
  };

  const paced = async (input: RequestInfo | URL, init?: RequestInit) => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    await turn(signal ?? undefined);
    stats.requests++;
    inFlight++;
    let response: Response;
    try {
      response = await inner(input, init);
    } finally {
      inFlight--;
    }
    const stated = statedInterval(response.headers, inFlight);
    if (stated !== undefined) {
      interval = stated.interval;
      if (stated.notBefore !== undefined) nextAt = Math.max(nextAt, stated.notBefore);
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

/** The spacing the server's rate-limit headers call for, and when the window reopens. */
function statedInterval(
  headers: Headers,
  inFlight: number,
): { interval: number; notBefore?: number } | undefined {
  const remaining = Number(headers.get("x-ratelimit-remaining") ?? Number.NaN);
  const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
  if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return undefined;
  // Unix seconds (ByteSpike); small values are read as seconds from now.
  const resetAt = reset > 1e9 ? reset * 1000 : Date.now() + reset * 1000;
  const untilReset = Math.max(0, resetAt - Date.now());
  // Requests already on their way will spend some of what is left.
  const left = remaining - inFlight;
  if (left <= 0) return { interval: untilReset, notBefore: resetAt };
  return { interval: untilReset / left };
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
