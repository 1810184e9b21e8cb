// The only network access of `pnpm sources:check`: a GET of a URL recorded in a source header.
// Every failure to get a 2xx answer becomes an UnreachableError, so that a page that cannot be
// read is reported as such and never compared (an empty or error page is not "the docs").

export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url}: ${reason}`);
    this.name = "UnreachableError";
  }
}

export interface FetchOptions {
  /** Per request, connection and body together. */
  timeoutMs: number;
  /** Origin (scheme://host[:port]) → the origin to ask instead; the tests' loopback server. */
  originMap: Map<string, string>;
}

export interface Fetched {
  body: string;
  contentType: string;
}

/** A recorded URL with its origin replaced when the origin map names it. */
function mapOrigin(url: string, originMap: Map<string, string>): string {
  const parsed = new URL(url);
  const target = originMap.get(parsed.origin);
  return target === undefined ? url : `${target}${parsed.pathname}${parsed.search}`;
}

export async function fetchText(
  url: string,
  options: FetchOptions,
  headers: Record<string, string> = {},
): Promise<Fetched> {
  const target = mapOrigin(url, options.originMap);
  try {
    const response = await fetch(target, {
      headers,
      // A redirect leads off the recorded URL: report it, so that the header gets the new one.
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location") ?? "nowhere";
      throw new UnreachableError(url, `redirected (${response.status}) to ${location}`);
    }
    if (!response.ok) throw new UnreachableError(url, `HTTP ${response.status}`);
    return { body: await response.text(), contentType: response.headers.get("content-type") ?? "" };
  } catch (error) {
    if (error instanceof UnreachableError) throw error;
    throw new UnreachableError(url, describeFailure(error, options.timeoutMs));
  }
}

const NETWORK_ERRORS: Record<string, string> = {
  ENOTFOUND: "no such host",
  EAI_AGAIN: "name lookup failed",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
};

/** The reason fetch gives, made readable: undici hides DNS and refusals in `cause`. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string } };
  if (failure.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  const code = failure.cause?.code;
  if (code) return NETWORK_ERRORS[code] ? `${NETWORK_ERRORS[code]} (${code})` : code;
  return failure.message ?? String(error);
}
