import type { Client as OpenApiFetchClient } from "openapi-fetch";
import {
  type ApiError,
  apiErrorFor,
  ConnectionError,
  SpendkitError,
  TimeoutError,
} from "./errors.js";
import { pick } from "./path.js";
import { type Backoff, backoffDelay, isTransientStatus, serverDelay, sleep } from "./retry.js";
import type { OperationSpec, ProviderSpec } from "./spec.js";
import type { CallOptions } from "./types.js";
import { validateInput } from "./validate.js";

/** What every call of one client shares. */
export interface CallContext {
  provider: ProviderSpec;
  raw: OpenApiFetchClient<any>;
  timeout: number;
  maxRetries: number;
  backoff: Backoff | undefined;
  /** Supplies a client-filled path parameter (xAI's team id) that the caller left out. */
  clientParam(name: string, options: CallOptions): Promise<string>;
}

type Attempt =
  | { ok: true; payload: unknown }
  | { ok: false; error: SpendkitError & { retryable: boolean }; delay?: number | undefined };

/**
 * Runs one operation: validate, fill client parameters, send, and retry what is safe to retry.
 * Resolves with the payload (envelope unwrapped) or rejects with a spendkit error, or with the
 * caller's abort reason.
 */
export async function callOperation(
  context: CallContext,
  operationId: string,
  operation: OperationSpec,
  input: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<unknown> {
  validateInput(operationId, input, operation.input, operation.window);
  const request = await buildRequest(context, operation, input, options);
  const maxRetries = options.maxRetries ?? context.maxRetries;
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    const result = await attemptOnce(context, operation, request, options);
    if (result.ok) return result.payload;
    const { error } = result;
    if (!error.retryable || attempt >= maxRetries) throw error;
    const maxServerDelay = context.backoff?.maxServerDelay ?? 60_000;
    if (result.delay !== undefined && result.delay > maxServerDelay) throw error;
    await sleep(result.delay ?? backoffDelay(attempt, context.backoff), options.signal);
  }
}

interface PreparedRequest {
  params: { path: Record<string, unknown>; query: Record<string, unknown> };
  body: Record<string, unknown> | undefined;
}

async function buildRequest(
  context: CallContext,
  operation: OperationSpec,
  input: Record<string, unknown>,
  options: CallOptions,
): Promise<PreparedRequest> {
  const request: PreparedRequest = { params: { path: {}, query: {} }, body: undefined };
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const location = operation.in[name];
    if (location === "body") {
      request.body ??= {};
      request.body[name] = value;
    } else if (location) {
      request.params[location][name] = value;
    }
  }
  for (const name of Object.keys(context.provider.clientParams ?? {})) {
    if (operation.in[name] === "path" && request.params.path[name] === undefined) {
      request.params.path[name] = await context.clientParam(name, options);
    }
  }
  if (operation.method !== "get" && request.body === undefined) request.body = {};
  return request;
}

async function attemptOnce(
  context: CallContext,
  operation: OperationSpec,
  request: PreparedRequest,
  options: CallOptions,
): Promise<Attempt> {
  const { provider } = context;
  const timeout = options.timeout ?? context.timeout;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(provider.name, timeout, operation.retrySafe)),
    timeout,
  );
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  try {
    const { data, error, response } = await context.raw.request(operation.method, operation.path, {
      params: request.params,
      body: request.body,
      headers: options.headers,
      signal: controller.signal,
      parseAs: "text",
    });
    return response.ok
      ? readSuccess(provider, operation, response, data as string | undefined)
      : failure(provider, operation, response, error);
  } catch (thrown) {
    if (controller.signal.aborted) {
      const reason = controller.signal.reason;
      if (reason instanceof TimeoutError) return { ok: false, error: reason };
      throw reason;
    }
    if (thrown instanceof SpendkitError) throw thrown;
    return { ok: false, error: new ConnectionError(provider.name, thrown, operation.retrySafe) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onCallerAbort);
  }
}

function readSuccess(
  provider: ProviderSpec,
  operation: OperationSpec,
  response: Response,
  text: string | undefined,
): Attempt {
  if (!text) return { ok: true, payload: undefined };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // A 2xx whose body does not parse was cut short or came from a proxy: worth another try.
    return failure(provider, operation, response, text, "response body is not valid JSON", true);
  }
  const envelope = provider.envelope;
  if (!envelope) return { ok: true, payload: body };
  const code = pick(body, envelope.code);
  if (code === undefined) {
    return failure(
      provider,
      operation,
      response,
      body,
      `response lacks the "${envelope.code}" field`,
    );
  }
  if (!envelope.success.includes(code as number | string))
    return failure(provider, operation, response, body);
  return { ok: true, payload: pick(body, envelope.data) };
}

const MAX_TEXT_BODY = 2_000;

function failure(
  provider: ProviderSpec,
  operation: OperationSpec,
  response: Response,
  body: unknown,
  problem?: string,
  transient?: boolean,
): Attempt {
  const isJson = body !== null && typeof body === "object";
  const text = typeof body === "string" ? body.slice(0, MAX_TEXT_BODY) : undefined;
  const code = isJson ? first(body, provider.error.code) : undefined;
  const numericCode = typeof code === "number" ? code : Number(code);
  // An envelope that reports failure under HTTP 200 is classified by its own code.
  const classifyAs =
    response.status >= 400 || !Number.isInteger(numericCode) ? response.status : numericCode;
  const message =
    problem ??
    (isJson ? first(body, provider.error.message) : undefined) ??
    (text && !looksLikeMarkup(text) ? text.trim().slice(0, 200) : undefined) ??
    (response.statusText || "request failed");
  const error: ApiError = apiErrorFor(
    {
      provider: provider.name,
      status: response.status,
      code: code as string | number | undefined,
      type: isJson ? (first(body, provider.error.type) as string | undefined) : undefined,
      message: String(message),
      requestId: requestIdOf(response.headers),
      retryable: operation.retrySafe && (transient ?? isTransientStatus(classifyAs)),
      body: isJson ? body : text,
    },
    classifyAs,
  );
  return { ok: false, error, delay: serverDelay(response.headers) };
}

function first(body: unknown, paths: readonly string[] | undefined): string | number | undefined {
  for (const path of paths ?? []) {
    const value = pick(body, path);
    if (typeof value === "string" || typeof value === "number") return value;
  }
  return undefined;
}

function looksLikeMarkup(text: string): boolean {
  return /^\s*</.test(text);
}

const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "x-trace-id"];

function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}
