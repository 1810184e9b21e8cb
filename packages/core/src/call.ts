import type { DriftCheck } from "./drift-check.js";
import {
  type ApiError,
  apiErrorFor,
  ConnectionError,
  SpendkitError,
  scrub,
  TimeoutError,
} from "./errors.js";
import type { Observer, RequestInfo } from "./observe.js";
import { pick } from "./path.js";
import { buildHttpRequest, type HeaderRecord, lowercased, type RequestParts } from "./request.js";
import { type Backoff, backoffDelay, isTransientStatus, serverDelay, sleep } from "./retry.js";
import type { Hide } from "./secrets.js";
import type { OperationSpec, ProviderSpec } from "./spec.js";
import { readText, type TransportOptions } from "./transport.js";
import type { CallOptions } from "./types.js";
import { checkOptions, validateInput } from "./validate.js";

/** What every call of one client shares. */
export interface CallContext {
  provider: ProviderSpec;
  baseUrl: string;
  /** The client's headers, credentials included, names lowercased. */
  headers: HeaderRecord;
  /** Sends a request through the guarded transport (redirects within the origin only). */
  send: (request: Request) => Promise<Response>;
  /** The body limits of the guarded transport. */
  transport: TransportOptions;
  timeout: number;
  maxRetries: number;
  backoff: Backoff;
  /** Bounds a whole call, retries and waits included, in ms; undefined: no bound. */
  totalTimeout: number | undefined;
  /** Hides the client's credentials in text (see secrets.ts). */
  hide: Hide;
  /** The client's logger and hooks. */
  observer: Observer;
  /** Reports each difference between a response and its spec schema, when `onDrift` is set. */
  checkDrift: DriftCheck | undefined;
  /** Supplies a client-filled path parameter (xAI's team id) that the caller left out. */
  clientParam(name: string, options: CallOptions): Promise<string>;
}

type Attempt = (
  | { ok: true; payload: unknown }
  | { ok: false; error: SpendkitError; delay?: number | undefined }
) & { status?: number; requestId?: string | undefined; body?: unknown };

/**
 * Runs one operation: check options and input, fill client parameters, send, and retry what is
 * safe to retry. Resolves with the payload (envelope unwrapped) or rejects with a spendkit
 * error, or with the caller's abort reason.
 */
export async function callOperation(
  context: CallContext,
  operationId: string,
  operation: OperationSpec,
  input: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<unknown> {
  checkOptions(options);
  const sent = validateInput(operationId, input, operation);
  const { signal } = options;
  signal?.throwIfAborted();
  const totalTimeout = options.totalTimeout ?? context.totalTimeout;
  const deadline =
    totalTimeout === undefined ? undefined : { at: Date.now() + totalTimeout, total: totalTimeout };
  const built = buildRequest(context, operation, sent, options);
  const request = built instanceof Promise ? await built : built;
  const maxRetries = options.maxRetries ?? context.maxRetries;
  const { backoff } = context;
  const { observer } = context;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    const info = observer.idle
      ? undefined
      : {
          provider: context.provider.name,
          operationId,
          method: operation.method.toUpperCase(),
          path: operation.path,
          attempt: attempt + 1,
        };
    if (info) observer.request(info);
    const started = Date.now();
    let result: Attempt;
    try {
      result = await attemptOnce(context, operationId, operation, request, options, deadline);
    } catch (thrown) {
      if (info) observed(context, info, started, {}, thrown, undefined);
      throw thrown;
    }
    const failed = result.ok ? undefined : result.error;
    if (result.ok) {
      if (info) observed(context, info, started, result, undefined, undefined);
      return result.payload;
    }
    const { error, delay } = result;
    const last = !error.retryable || attempt >= maxRetries;
    const wait = last
      ? undefined
      : delay === undefined
        ? backoffDelay(attempt, backoff)
        : Math.min(delay, backoff.maxServerDelay ?? 60_000);
    // A wait that would end past the deadline cannot lead to a success in time: the last
    // failure is the most useful answer, now rather than later.
    const giveUp =
      wait === undefined || (deadline !== undefined && Date.now() + wait >= deadline.at);
    if (info) observed(context, info, started, result, failed, giveUp ? undefined : wait);
    if (giveUp) throw error;
    await sleep(wait, signal);
  }
}

/** Reports one attempt's outcome to the logger and hooks, redacted. */
function observed(
  { observer, hide }: CallContext,
  info: RequestInfo,
  started: number,
  result: { status?: number; requestId?: string | undefined },
  error: unknown,
  retryDelayMs: number | undefined,
): void {
  observer.response({
    ...info,
    status: result.status,
    durationMs: Date.now() - started,
    requestId: result.requestId,
    error:
      error === undefined
        ? undefined
        : error instanceof Error
          ? { name: hide(error.name), message: hide(error.message) }
          : { name: "Error", message: hide(String(error)) },
    retryDelayMs,
  });
}

/** Each operation's constant headers under the client's, merged once per client. */
const withConstants = new WeakMap<HeaderRecord, WeakMap<OperationSpec, HeaderRecord>>();

/**
 * The headers of an operation the spec gives constant headers (an API version): those first,
 * so that a client's own `headers` option can still override one, then the client's.
 */
function headersOf(context: CallContext, operation: OperationSpec): HeaderRecord {
  let byOperation = withConstants.get(context.headers);
  if (!byOperation) {
    byOperation = new WeakMap();
    withConstants.set(context.headers, byOperation);
  }
  let merged = byOperation.get(operation);
  if (!merged) {
    merged = lowercased(operation.headers, context.headers);
    byOperation.set(operation, merged);
  }
  return merged;
}

/**
 * Where each field of the input goes; client-filled path parameters (xAI's team id) the caller
 * left out are looked up, which is the only thing here that may have to wait.
 */
function buildRequest(
  context: CallContext,
  operation: OperationSpec,
  input: Record<string, unknown>,
  options: CallOptions,
): RequestParts | Promise<RequestParts> {
  const request: RequestParts = {
    method: operation.method,
    path: operation.path,
    pathParams: {},
    query: {},
    body: undefined,
  };
  for (const name of Object.keys(input)) {
    const value = input[name];
    if (value === undefined) continue;
    const location = operation.in[name];
    if (location === "body") {
      request.body ??= {};
      request.body[name] = value;
    } else if (location === "path") {
      request.pathParams[name] = value;
    } else if (location === "query") {
      // A field may be spelt otherwise on the wire (`group_by` → `group_by[]`).
      request.query[operation.wire?.[name] ?? name] = value;
    }
  }
  if (operation.headers) request.headers = headersOf(context, operation);
  if (operation.method !== "get" && request.body === undefined) request.body = {};
  let missing: string[] | undefined;
  for (const name in context.provider.clientParams) {
    if (operation.in[name] === "path" && request.pathParams[name] === undefined) {
      missing ??= [];
      missing.push(name);
    }
  }
  if (!missing) return request;
  return (async () => {
    for (const name of missing) request.pathParams[name] = await context.clientParam(name, options);
    return request;
  })();
}

/**
 * One request with its own timer. The timer and the caller's signal both abort the request
 * (and its body read); a custom fetch that ignores the signal is abandoned all the same.
 */
async function attemptOnce(
  context: CallContext,
  operationId: string,
  operation: OperationSpec,
  request: RequestParts,
  options: CallOptions,
  deadline: { at: number; total: number } | undefined,
): Promise<Attempt> {
  const { provider } = context;
  const { signal } = options;
  const timeout = options.timeout ?? context.timeout;
  const remaining = deadline === undefined ? Infinity : deadline.at - Date.now();
  const bySelf = timeout <= remaining;
  if (remaining <= 0) throw new TimeoutError(provider.name, deadline!.total, false, "call");
  const controller = new AbortController();
  // The exchange's outcome, which `stop` (the timer, the caller's signal) settles first when
  // the attempt is given up: a custom fetch that ignores the signal is abandoned all the same. A
  // promise settled from here costs less than a listener on the controller's signal.
  let abandon!: (reason: unknown) => void;
  const outcome = new Promise<{ response: Response; text: string }>((resolve, reject) => {
    abandon = reject;
    exchange(context, request, options, controller.signal).then(resolve, reject);
  });
  const stop = (reason?: unknown) => {
    controller.abort(reason);
    abandon(controller.signal.reason);
  };
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      stop();
    },
    bySelf ? timeout : remaining,
  );
  const onAbort = () => stop(signal!.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const { response, text } = await outcome;
    let error: unknown;
    if (!response.ok) error = errorBody(text);
    const attempt = response.ok
      ? readSuccess(context, operation, response, text)
      : failure(context, operation, response, error);
    if (context.checkDrift) {
      const body = response.ok ? attempt.body : error;
      await context.checkDrift(operationId, operation, response.status, body);
    }
    attempt.status = response.status;
    attempt.requestId = clean(requestIdOf(response.headers), context.hide) as string | undefined;
    return attempt;
  } catch (thrown) {
    if (signal?.aborted) throw signal.reason;
    if (timedOut && !bySelf) throw new TimeoutError(provider.name, deadline!.total, false, "call");
    if (timedOut) {
      return { ok: false, error: new TimeoutError(provider.name, timeout, operation.retrySafe) };
    }
    if (thrown instanceof SpendkitError) throw thrown;
    return { ok: false, error: new ConnectionError(provider.name, thrown, operation.retrySafe) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Sends the request and reads its body, bounded, as text. */
async function exchange(
  context: CallContext,
  parts: RequestParts,
  options: CallOptions,
  signal: AbortSignal,
): Promise<{ response: Response; text: string }> {
  const request = buildHttpRequest(
    context.baseUrl,
    parts,
    parts.headers ?? context.headers,
    options.headers,
    signal,
  );
  const response = await context.send(request);
  return { response, text: await readText(response, context.transport) };
}

/** An error body: its JSON when it is JSON, else its text; undefined when empty. */
function errorBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readSuccess(
  context: CallContext,
  operation: OperationSpec,
  response: Response,
  text: string,
): Attempt {
  const { provider } = context;
  if (response.status === 204) return { ok: true, payload: undefined };
  let body: unknown;
  try {
    body = JSON.parse(text || "!");
  } catch {
    // An empty or unparsable 2xx was cut short or came from a proxy: worth another try.
    const problem = text ? "response body is not valid JSON" : "response body is empty";
    return failure(context, operation, response, text, problem);
  }
  const envelope = provider.envelope;
  if (!envelope) return { ok: true, payload: body, body };
  const code = pick(body, envelope.code);
  if (envelope.success.includes(code as number | string)) {
    return { ok: true, payload: pick(body, envelope.data), body };
  }
  return failure(
    context,
    operation,
    response,
    body,
    code === undefined ? `response lacks the "${envelope.code}" field` : undefined,
  );
}

const MAX_TEXT_BODY = 2_000;
const MAX_MESSAGE = 500;

/**
 * The error for a response that failed: a non-2xx status, an envelope whose code is not a
 * success, or a 2xx body that cannot be read (`problem`, always transient).
 */
function failure(
  context: CallContext,
  operation: OperationSpec,
  response: Response,
  body: unknown,
  problem?: string,
): Attempt {
  const { provider, hide } = context;
  const isJson = body !== null && typeof body === "object";
  // Hidden before it is cut: a key cut at the limit would leave a fragment no search finds.
  const text = typeof body === "string" ? hide(body).slice(0, MAX_TEXT_BODY) : undefined;
  const code = isJson ? clean(first(body, provider.error.code), hide) : undefined;
  // An envelope that reports failure under HTTP 200 is classified by its own (HTTP-like) code.
  const envelopeCode =
    isJson && provider.envelope ? Number(pick(body, provider.envelope.code)) : Number.NaN;
  const classifyAs =
    response.status >= 400 || !Number.isInteger(envelopeCode) ? response.status : envelopeCode;
  const transient = problem ? !isJson : isTransientStatus(classifyAs);
  const message =
    problem ??
    (isJson ? first(body, provider.error.message) : undefined) ??
    (text && !/^\s*</.test(text) ? text.trim().slice(0, 200) : undefined) ??
    (response.statusText || "request failed");
  const error: ApiError = apiErrorFor(
    {
      provider: provider.name,
      status: response.status,
      code,
      type: isJson
        ? (clean(first(body, provider.error.type), hide) as string | undefined)
        : undefined,
      message: hide(String(message)).slice(0, MAX_MESSAGE),
      requestId: clean(requestIdOf(response.headers), hide) as string | undefined,
      retryable: operation.retrySafe && transient,
      body: isJson ? scrub(body, hide) : text,
    },
    classifyAs,
  );
  // Only a response that failed for a transient reason says when to come back.
  const delay =
    transient && !problem
      ? serverDelay(response.headers, Date.now(), classifyAs === 429)
      : undefined;
  return { ok: false, error, delay };
}

/** A short field from the server, secrets hidden and its length bounded. */
function clean(value: string | number | undefined, hide: Hide): string | number | undefined {
  return typeof value === "string" ? hide(value).slice(0, MAX_FIELD) : value;
}

const MAX_FIELD = 200;

function first(body: unknown, paths: readonly string[] | undefined): string | number | undefined {
  for (const path of paths ?? []) {
    const value = pick(body, path);
    if (typeof value === "string" || typeof value === "number") return value;
  }
  return undefined;
}

const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "x-trace-id"];

function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}
