import {
  createFinalURL,
  createQuerySerializer,
  defaultPathSerializer,
  removeTrailingSlash,
} from "openapi-fetch";

/**
 * The HTTP request of one attempt, built here rather than by openapi-fetch's client: its
 * generic machinery (serialiser lookups, a `Headers` merge, middleware) was a fifth of the cost
 * of a call. The URL comes from openapi-fetch's own serialisers and the body is JSON, so that
 * `client.raw` and the methods send the same requests.
 */

/** Header names lowercased, so that merging two records is a plain spread. */
export type HeaderRecord = Record<string, string>;

export interface RequestParts {
  method: string;
  path: string;
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown> | undefined;
  /** The headers of this operation, when it has its own (else the client's). */
  headers?: HeaderRecord;
}

/**
 * `headers` with every name lowercased; a later name wins over an earlier one. Without a
 * prototype, so that a header named `__proto__` is a header like any other.
 */
export function lowercased(...all: (Record<string, string> | undefined)[]): HeaderRecord {
  const out: HeaderRecord = Object.create(null);
  for (const headers of all) {
    for (const name in headers) {
      if (Object.hasOwn(headers, name)) out[name.toLowerCase()] = headers[name]!;
    }
  }
  return out;
}

const JSON_TYPE: HeaderRecord = { "content-type": "application/json" };

/**
 * The request to send. `headers` are the client's (lowercased), `extra` a call's own; the
 * caller's `content-type`, if any, wins over the JSON default as it does in openapi-fetch.
 */
export function buildHttpRequest(
  baseUrl: string,
  parts: RequestParts,
  headers: HeaderRecord,
  extra: Record<string, string> | undefined,
  signal: AbortSignal,
): Request {
  const hasBody = parts.body !== undefined;
  const merged =
    extra === undefined && !hasBody
      ? headers
      : lowercased(hasBody ? JSON_TYPE : undefined, headers, extra);
  return new Request(requestUrl(baseUrl, parts), {
    method: parts.method.toUpperCase(),
    // As name/value pairs: a record would lose a header named `__proto__` on its way in.
    headers: Object.entries(merged),
    body: hasBody ? JSON.stringify(parts.body) : undefined,
    signal,
    // Redirects are followed by the guarded transport, within the request's origin only.
    redirect: "manual",
  });
}

const querySerializer = createQuerySerializer();

/** The URL: openapi-fetch's own serialisers, so that the methods and `client.raw` agree. */
export function requestUrl(baseUrl: string, parts: RequestParts): string {
  return createFinalURL(parts.path, {
    baseUrl: removeTrailingSlash(baseUrl),
    params: { path: parts.pathParams, query: parts.query },
    querySerializer,
    pathSerializer: defaultPathSerializer,
  });
}
