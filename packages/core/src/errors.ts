/**
 * Every failure a spendkit client reports is one of these classes. They carry what a caller
 * needs to decide what to do next (status, provider code, request id, whether a retry could
 * help) and never the API key: no error keeps request headers or the request, and the client
 * scrubs the key out of every message, stack, body and cause before an error reaches the caller.
 */

export interface ApiErrorDetails {
  provider: string;
  /** HTTP status; 200 when the provider signalled failure inside a successful envelope. */
  status: number;
  /** The provider's error code (e.g. WaveSpeed's envelope `code`, ByteSpike's `error.code`). */
  code?: string | number | undefined;
  /** The provider's error type (e.g. ByteSpike's `invalid_request_error`). */
  type?: string | undefined;
  message: string;
  requestId?: string | undefined;
  /** True when the failure is transient and the operation is safe to repeat. */
  retryable: boolean;
  /** The parsed error body (or its text when it was not JSON). */
  body?: unknown;
}

/**
 * Marks every spendkit error with the kinds it is, so that `instanceof` holds across copies of
 * this module: a process that loads @spendkit/core both as ESM and as CommonJS (the dual-package
 * hazard) still sees one `ApiError`. Registered globally, hence Symbol.for.
 */
const KINDS = Symbol.for("@spendkit/core:error-kinds");

export class SpendkitError extends Error {
  /** The kind `instanceof` checks for; every subclass declares its own. */
  static readonly kind: string = "SpendkitError";

  static override [Symbol.hasInstance]<T>(
    this: abstract new (
      ...args: any[]
    ) => T,
    value: unknown,
  ): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`.
    const target = this as unknown as typeof SpendkitError;
    const kinds = value !== null && typeof value === "object" ? (value as any)[KINDS] : undefined;
    return Array.isArray(kinds)
      ? kinds.includes(target.kind)
      : Function.prototype[Symbol.hasInstance].call(target, value);
  }

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    const kinds: string[] = [];
    for (let c: any = new.target; c && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, "kind")) kinds.push(c.kind);
    }
    // Not enumerable: it stays out of toJSON, spreads and util.inspect's usual view.
    Object.defineProperty(this, KINDS, { value: kinds });
  }

  override name = "SpendkitError";
  /**
   * True when the same call could succeed if tried again: a transient failure of an operation
   * that is safe to repeat. Always false for writes and for input errors.
   */
  retryable = false;

  /** Own fields only (name, message, provider, status, ...): never the stack or the cause. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

export class ApiError extends SpendkitError {
  static override readonly kind: string = "ApiError";
  override name = "ApiError";
  readonly provider: string;
  readonly status: number;
  readonly code: string | number | undefined;
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;

  constructor(details: ApiErrorDetails) {
    super(`${details.provider}: ${details.status} ${details.message}`);
    this.provider = details.provider;
    this.status = details.status;
    this.code = details.code;
    this.type = details.type;
    this.requestId = details.requestId;
    this.retryable = details.retryable;
    this.body = details.body;
  }
}

/** 401 or 403: the key is missing, revoked, or lacks the permission. */
export class AuthenticationError extends ApiError {
  static override readonly kind: string = "AuthenticationError";
  override name = "AuthenticationError";
}
/** 404. */
export class NotFoundError extends ApiError {
  static override readonly kind: string = "NotFoundError";
  override name = "NotFoundError";
}
/** 429: rate limited. */
export class RateLimitError extends ApiError {
  static override readonly kind: string = "RateLimitError";
  override name = "RateLimitError";
}
/** 5xx. */
export class ServerError extends ApiError {
  static override readonly kind: string = "ServerError";
  override name = "ServerError";
}

/** No complete response: DNS, refused or reset connection, a body cut off mid-way. */
export class ConnectionError extends SpendkitError {
  static override readonly kind: string = "ConnectionError";
  override name = "ConnectionError";
  readonly provider: string;
  /** `retryable` is false for writes: the request may have reached the server. */
  constructor(provider: string, cause: unknown, retryable: boolean) {
    super(`${provider}: connection failed: ${describe(cause)}`, { cause });
    this.provider = provider;
    this.retryable = retryable;
  }
}

/**
 * An attempt took longer than the `timeout` option (`scope: "attempt"`), or the whole call, its
 * retries and waits included, took longer than `totalTimeout` (`scope: "call"`).
 */
export class TimeoutError extends SpendkitError {
  static override readonly kind: string = "TimeoutError";
  override name = "TimeoutError";
  readonly provider: string;
  readonly timeout: number;
  readonly scope: "attempt" | "call";
  /** `retryable` is false for writes: the server may have acted before the client gave up. */
  constructor(
    provider: string,
    timeout: number,
    retryable: boolean,
    scope: "attempt" | "call" = "attempt",
  ) {
    super(
      scope === "call"
        ? `${provider}: call exceeded its totalTimeout of ${timeout} ms (retries and waits included)`
        : `${provider}: request timed out after ${timeout} ms`,
    );
    this.provider = provider;
    this.timeout = timeout;
    this.scope = scope;
    // A whole-call deadline has been used up: trying again at once cannot help.
    this.retryable = scope === "attempt" && retryable;
  }
}

/**
 * The server answered with a redirect the client will not follow: to another origin (the key,
 * the headers and the body stay with the origin they were given for), or one hop too many.
 * `location` is the target's origin only, never its path or query.
 */
export class RedirectError extends SpendkitError {
  static override readonly kind: string = "RedirectError";
  override name = "RedirectError";
  readonly provider: string;
  readonly status: number;
  /** The origin the server redirected to (`https://host:port`), or "" when it is unknown. */
  readonly location: string;
  constructor(provider: string, status: number, location: string, reason: string) {
    super(`${provider}: ${status} redirect ${reason}`);
    this.provider = provider;
    this.status = status;
    this.location = location;
  }
}

/** A response body grew past the `maxResponseBytes` limit; it was cut off while streaming. */
export class ResponseTooLargeError extends SpendkitError {
  static override readonly kind: string = "ResponseTooLargeError";
  override name = "ResponseTooLargeError";
  readonly provider: string;
  readonly limit: number;
  constructor(provider: string, limit: number) {
    super(`${provider}: response body is larger than maxResponseBytes (${limit} bytes)`);
    this.provider = provider;
    this.limit = limit;
  }
}

/**
 * An automatic page walk stopped because the server's pages cannot be trusted: a page repeats
 * the previous one (`reason: "repeated-page"`), the walk would pass `maxPages` ("max-pages"), or
 * the reported total or page size is unusable ("bad-total").
 */
export class PaginationError extends SpendkitError {
  static override readonly kind: string = "PaginationError";
  override name = "PaginationError";
  readonly provider: string;
  readonly operationId: string;
  /**
   * `repeated-page`: a page repeats the one before it; `max-pages`: the walk would pass
   * `maxPages`; `bad-total`: no usable total where the walk needs one; `repeated-cursor`: a
   * cursor the walk has already followed; `bad-cursor`: a page says more follow but names no
   * next cursor.
   */
  readonly reason: "repeated-page" | "max-pages" | "bad-total" | "repeated-cursor" | "bad-cursor";
  /** The page the walk was at, counted from 1 (from the first page number for numbered lists). */
  readonly page: number;
  constructor(
    provider: string,
    operationId: string,
    reason: PaginationError["reason"],
    page: number,
    detail: string,
  ) {
    super(`${provider}: ${operationId}: page ${page}: ${detail}`);
    this.provider = provider;
    this.operationId = operationId;
    this.reason = reason;
    this.page = page;
  }
}

/** Bad input (or options), detected before any request was sent. */
export class InputError extends SpendkitError {
  static override readonly kind: string = "InputError";
  override name = "InputError";
  /** Dotted path of the offending field, or "" for the input as a whole. */
  readonly field: string;
  /** The rule it broke, e.g. "maximum", "enum", "required", "format", "unknown". */
  readonly rule: string;
  constructor(field: string, rule: string, message: string) {
    super(field ? `${field}: ${message}` : message);
    this.field = field;
    this.rule = rule;
  }
}

/** Picks the ApiError subclass that matches an HTTP status (or an envelope code). */
export function apiErrorFor(details: ApiErrorDetails, classifyAs: number): ApiError {
  const Class =
    classifyAs === 401 || classifyAs === 403
      ? AuthenticationError
      : classifyAs === 404
        ? NotFoundError
        : classifyAs === 429
          ? RateLimitError
          : classifyAs >= 500 && classifyAs <= 599
            ? ServerError
            : ApiError;
  return new Class(details);
}

/** "fetch failed: read ECONNRESET (ECONNRESET)": the messages of a cause chain, and its code. */
function describe(cause: unknown): string {
  const parts: string[] = [];
  let code: unknown;
  for (let c = cause as any, depth = 0; c != null && depth < 4; c = c.cause, depth++) {
    parts.push(c instanceof Error ? c.message : String(c));
    code ??= c.code;
    if (!(c instanceof Error)) break;
  }
  return parts.join(": ") + (typeof code === "string" ? ` (${code})` : "");
}

/** Fields of an error that may hold text that came from the server or the caller. */
const TEXT_FIELDS = [
  "message",
  "stack",
  "name",
  "provider",
  "code",
  "type",
  "requestId",
  "location",
] as const;

/**
 * Removes secrets from everything reachable from a spendkit error: its text fields, body and
 * cause chain. A cause is replaced by a plain copy (name, message, code, stack, cause) so that
 * nothing else it held (a Request with its headers, a socket, a config) stays reachable.
 */
export function redact<T>(error: T, hide: (text: string) => string): T {
  if (error instanceof SpendkitError) {
    const e = error as any;
    for (const field of TEXT_FIELDS) {
      if (typeof e[field] === "string") {
        // Some fields are readonly in the type only; the object is ours.
        Object.defineProperty(e, field, {
          value: hide(e[field]),
          writable: true,
          configurable: true,
          enumerable: Object.getOwnPropertyDescriptor(e, field)?.enumerable ?? false,
        });
      }
    }
    if (e.body !== undefined) e.body = scrub(e.body, hide);
    if (e.cause !== undefined) e.cause = copyCause(e.cause, hide, 0);
  }
  return error;
}

/** How deep an error body is kept; deeper values are replaced, so nothing recurses without end. */
export const MAX_BODY_DEPTH = 32;

/** A copy of a parsed body with secrets hidden and nesting cut at MAX_BODY_DEPTH. */
export function scrub(value: unknown, hide: (text: string) => string, depth = 0): unknown {
  if (typeof value === "string") return hide(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_BODY_DEPTH) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((v) => scrub(v, hide, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // defineProperty: a key named "__proto__" stays a plain field of the copy.
    Object.defineProperty(copy, hide(key), {
      value: scrub(v, hide, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function copyCause(cause: any, hide: (text: string) => string, depth: number): unknown {
  if (!(cause instanceof Error)) {
    return typeof cause === "object" && cause !== null ? "[cause]" : hide(String(cause));
  }
  const copy: any = new Error(
    hide(String(cause.message)),
    cause.cause !== undefined && depth < 4
      ? { cause: copyCause(cause.cause, hide, depth + 1) }
      : undefined,
  );
  copy.name = hide(String(cause.name));
  copy.stack = hide(String(cause.stack));
  const { code } = cause as { code?: unknown };
  if (typeof code === "string") copy.code = hide(code);
  else if (typeof code === "number") copy.code = code;
  return copy;
}
