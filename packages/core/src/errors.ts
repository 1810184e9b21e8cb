/**
 * Every failure a spendkit client reports is one of these classes. They carry what a caller
 * needs to decide what to do next (status, provider code, request id, whether a retry could
 * help) and never the API key: no error keeps request headers, and `toJSON` lists its fields
 * explicitly so that serialising an error cannot pull in anything else.
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

export class SpendkitError extends Error {
  override name = "SpendkitError";
}

export class ApiError extends SpendkitError {
  override name = "ApiError";
  readonly provider: string;
  readonly status: number;
  readonly code: string | number | undefined;
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
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

  toJSON() {
    const { name, message, provider, status, code, type, requestId, retryable, body } = this;
    return { name, message, provider, status, code, type, requestId, retryable, body };
  }
}

/** 401 or 403: the key is missing, revoked, or lacks the permission. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}
/** 404. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}
/** 429: rate limited. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
}
/** 5xx. */
export class ServerError extends ApiError {
  override name = "ServerError";
}

/** The request never got a response: DNS, refused or reset connection. */
export class ConnectionError extends SpendkitError {
  override name = "ConnectionError";
  readonly provider: string;
  /** False for writes: the request may have reached the server, so repeating it is unsafe. */
  readonly retryable: boolean;
  constructor(provider: string, cause: unknown, retryable: boolean) {
    super(`${provider}: connection failed: ${describe(cause)}`, { cause });
    this.provider = provider;
    this.retryable = retryable;
  }
  toJSON() {
    const { name, message, provider, retryable } = this;
    return { name, message, provider, retryable };
  }
}

/** An attempt took longer than the `timeout` option. */
export class TimeoutError extends SpendkitError {
  override name = "TimeoutError";
  readonly provider: string;
  readonly timeout: number;
  /** False for writes: the server may have acted on the request before the client gave up. */
  readonly retryable: boolean;
  constructor(provider: string, timeout: number, retryable: boolean) {
    super(`${provider}: request timed out after ${timeout} ms`);
    this.provider = provider;
    this.timeout = timeout;
    this.retryable = retryable;
  }
  toJSON() {
    const { name, message, provider, timeout, retryable } = this;
    return { name, message, provider, timeout, retryable };
  }
}

/** Bad input, detected before any request was sent. */
export class InputError extends SpendkitError {
  override name = "InputError";
  /** Dotted path of the offending field, or "" for the input as a whole. */
  readonly field: string;
  /** The rule it broke, e.g. "maximum", "enum", "required", "format". */
  readonly rule: string;
  constructor(field: string, rule: string, message: string) {
    super(field ? `${field}: ${message}` : message);
    this.field = field;
    this.rule = rule;
  }
  toJSON() {
    const { name, message, field, rule } = this;
    return { name, message, field, rule };
  }
}

/** Picks the ApiError subclass that matches an HTTP status (or an envelope code). */
export function apiErrorFor(details: ApiErrorDetails, classifyAs: number): ApiError {
  if (classifyAs === 401 || classifyAs === 403) return new AuthenticationError(details);
  if (classifyAs === 404) return new NotFoundError(details);
  if (classifyAs === 429) return new RateLimitError(details);
  if (classifyAs >= 500 && classifyAs <= 599) return new ServerError(details);
  return new ApiError(details);
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code =
      inner && typeof inner === "object" ? (inner as { code?: unknown }).code : undefined;
    return typeof code === "string" ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
