/**
 * The HTTP request of one attempt, built here rather than by openapi-fetch: its generic
 * machinery (serialiser lookups, a `Headers` merge, middleware) was a fifth of the cost of a
 * call. The wire form is the one openapi-fetch writes by default, so `client.raw` and the
 * methods send the same requests: path parameters percent-encoded in place, query fields as
 * `name=value` pairs (arrays repeated, form/explode; objects as `name[key]=value`, deepObject),
 * a JSON body.
 */

/** Header names lowercased, so that merging two records is a plain spread. */
export type HeaderRecord = Record<string, string>;

export interface RequestParts {
  method: string;
  path: string;
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown> | undefined;
}

/** `headers` with every name lowercased; a later name wins over an earlier one. */
export function lowercased(...all: (Record<string, string> | undefined)[]): HeaderRecord {
  const out: HeaderRecord = {};
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
    headers: merged,
    body: hasBody ? JSON.stringify(parts.body) : undefined,
    signal,
    // Redirects are followed by the guarded transport, within the request's origin only.
    redirect: "manual",
  });
}

/** The base URL (without its trailing slash), the path with its parameters, the query. */
export function requestUrl(baseUrl: string, parts: RequestParts): string {
  let url = baseUrl.endsWith("/") ? baseUrl.slice(0, -1) : baseUrl;
  url += parts.path.replace(/\{([^{}]+)\}/g, (match, name: string) => {
    const value = parts.pathParams[name];
    return value === undefined || value === null ? match : encodeURIComponent(String(value));
  });
  const search = queryString(parts.query);
  return search ? `${url}?${search}` : url;
}

function queryString(query: Record<string, unknown>): string {
  let search = "";
  for (const name in query) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) search += pair(name, item);
    } else if (typeof value === "object") {
      for (const key in value) {
        search += pair(`${name}[${key}]`, (value as Record<string, unknown>)[key]);
      }
    } else {
      search += pair(name, value);
    }
  }
  return search.slice(1);
}

function pair(name: string, value: unknown): string {
  return value === undefined || value === null
    ? ""
    : `&${name}=${encodeURIComponent(String(value))}`;
}
