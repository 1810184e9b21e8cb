import { RedirectError, ResponseTooLargeError } from "./errors.js";

/**
 * The fetch every client sends through (wrapping the caller's `fetch` option, if any). It adds
 * the two defences that must sit between the network and any parsing:
 *
 * - Redirects are followed here, not by fetch, and only within the origin the request was made
 *   to: fetch would replay custom credential headers (`x-api-key`, cookies) and, for 307/308, the
 *   request body to whatever origin a server names. A redirect elsewhere is a `RedirectError`.
 * - A body larger than `maxResponseBytes` fails with `ResponseTooLargeError` while it streams,
 *   before it is buffered; error bodies (4xx/5xx) are cut silently at `MAX_ERROR_BODY`, since
 *   only their first bytes are ever shown.
 */

/** Redirect hops followed within one origin before giving up. */
export const MAX_REDIRECTS = 5;

/** Bytes of an error response kept: enough for any real error document. */
export const MAX_ERROR_BODY = 64 * 1024;

/** Statuses whose response has no body by definition (a Response with one cannot be built). */
const NULL_BODY = new Set([101, 204, 205, 304]);

export interface TransportOptions {
  provider: string;
  maxResponseBytes: number;
}

/**
 * The fetch of `client.raw`: redirects guarded, and the body readers of the response bounded
 * (openapi-fetch reads the body itself, through `text()` or `json()`).
 */
export function guardedFetch(
  base: typeof fetch | undefined,
  options: TransportOptions,
): (request: Request) => Promise<Response> {
  const send = guardedSend(base, options);
  return async (input: Request) => limit(await send(input), options);
}

/**
 * Sends a request, following redirects as the module comment says; the body of the response is
 * left to `readText` (or, for `client.raw`, to the bounded readers of `guardedFetch`).
 */
export function guardedSend(
  base: typeof fetch | undefined,
  options: TransportOptions,
): (request: Request) => Promise<Response> {
  return async (input: Request) => {
    const send = base ?? globalThis.fetch;
    // Without an explicit choice, openapi-fetch asks for "follow"; the client asks for "manual".
    if (input.redirect !== "manual") return send(input);
    // The body is read once, so that a same-origin 307/308 can send it again.
    const body = input.body === null ? undefined : await input.arrayBuffer();
    let request =
      body === undefined
        ? input
        : new Request(input.url, {
            method: input.method,
            headers: input.headers,
            body,
            signal: input.signal,
            redirect: "manual",
          });
    for (let hop = 0; ; hop++) {
      const response = await send(request);
      const target = redirectTarget(response, request, options.provider);
      if (!target) return response;
      await response.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) {
        throw new RedirectError(
          options.provider,
          response.status,
          target.origin,
          `not followed: more than ${MAX_REDIRECTS} redirects`,
        );
      }
      request = nextRequest(request, response.status, target, body);
    }
  };
}

/** The URL a redirect response points to, when it is one the client may follow; else undefined. */
function redirectTarget(response: Response, request: Request, provider: string): URL | undefined {
  if (response.type === "opaqueredirect") {
    // A browser hides the target of a manual redirect: it cannot be checked, so not followed.
    throw new RedirectError(provider, 0, "", "not followed: its target is hidden by the runtime");
  }
  if (response.status < 300 || response.status > 399 || response.status === 304) return undefined;
  const location = response.headers.get("location");
  if (location === null) return undefined;
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    throw new RedirectError(provider, response.status, "", "not followed: its Location is invalid");
  }
  const from = new URL(request.url);
  if (target.origin !== from.origin || target.username || target.password) {
    throw new RedirectError(
      provider,
      response.status,
      target.origin === "null" ? target.protocol : target.origin,
      `to another origin (${target.origin === "null" ? target.protocol : target.origin}) not followed: credentials and bodies stay with ${from.origin}`,
    );
  }
  return target;
}

/** The request a same-origin redirect calls for, as fetch defines it (303, and 301/302 after POST, become GET). */
function nextRequest(
  request: Request,
  status: number,
  target: URL,
  body: ArrayBuffer | undefined,
): Request {
  const toGet =
    status === 303
      ? request.method !== "HEAD"
      : (status === 301 || status === 302) && request.method === "POST";
  const headers = new Headers(request.headers);
  if (toGet) {
    headers.delete("content-type");
    headers.delete("content-length");
  }
  return new Request(target, {
    method: toGet ? "GET" : request.method,
    headers,
    body: toGet ? undefined : body,
    signal: request.signal,
    redirect: "manual",
  });
}

/**
 * How many bytes of the body may be read, and whether a longer body is an error
 * (`ResponseTooLargeError`) or cut silently (error bodies); `undefined` when the response has
 * no body or declares an uncompressed length within the limit, so that the runtime's own reader
 * can be used as it is. A declared length over the limit fails at once, before any byte is read.
 */
function bound(
  response: Response,
  options: TransportOptions,
): { max: number; tooLarge: TransportOptions | undefined } | undefined {
  const { body } = response;
  if (body === null || NULL_BODY.has(response.status)) return undefined;
  const isError = response.status >= 400;
  const max = isError
    ? Math.min(MAX_ERROR_BODY, options.maxResponseBytes)
    : options.maxResponseBytes;
  const length = response.headers.get("content-length");
  // A declared length can be trusted only for an uncompressed body: decompression can turn a
  // small transfer into any size.
  const declared =
    length !== null && /^\d+$/.test(length) && !response.headers.has("content-encoding")
      ? Number(length)
      : undefined;
  if (declared !== undefined && declared <= max) return undefined;
  if (declared !== undefined && !isError) {
    body.cancel().catch(() => {});
    throw new ResponseTooLargeError(options.provider, max);
  }
  return { max, tooLarge: isError ? undefined : options };
}

const decoder = new TextDecoder();

/** The body of a response as text, bounded (see the module comment); "" when it has none. */
export async function readText(response: Response, options: TransportOptions): Promise<string> {
  if (response.body === null || NULL_BODY.has(response.status)) return "";
  const limits = bound(response, options);
  if (!limits) return response.text();
  return decoder.decode(await boundedBytes(response.body, limits.max, limits.tooLarge));
}

/** The response, its body readers bounded (see `withBoundedReads`). */
function limit(response: Response, options: TransportOptions): Response {
  const limits = bound(response, options);
  return limits ? withBoundedReads(response, limits.max, limits.tooLarge) : response;
}

/**
 * Reads a body stream whole, counting the bytes as they come: past `max` it fails with
 * `ResponseTooLargeError` (`tooLarge`), or keeps what came before the cut (error bodies).
 */
async function boundedBytes(
  body: ReadableStream<Uint8Array>,
  max: number,
  tooLarge: TransportOptions | undefined,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > max) {
      reader.cancel().catch(() => {});
      if (tooLarge) throw new ResponseTooLargeError(tooLarge.provider, max);
      chunks.push(value.subarray(0, value.byteLength - (seen - max)));
      break;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/**
 * The response, its body readers (`text`, `json`, `arrayBuffer`) replaced by bounded ones
 * (`boundedBytes`). Own properties shadow the prototype's methods, which is cheaper than
 * wrapping the body in a new stream and a new Response.
 */
function withBoundedReads(
  response: Response,
  max: number,
  tooLarge: TransportOptions | undefined,
): Response {
  const bytes = () => boundedBytes(response.body!, max, tooLarge);
  const text = async () => decoder.decode(await bytes());
  Object.defineProperties(response, {
    text: { value: text },
    json: { value: async () => JSON.parse(await text()) },
    arrayBuffer: {
      value: async () => {
        const all = await bytes();
        return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      },
    },
  });
  return response;
}
