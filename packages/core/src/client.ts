import openapiFetch from "openapi-fetch";
import { type CallContext, callOperation } from "./call.js";
import { driftCheck, type LoadResponses } from "./drift-check.js";
import { InputError, redact } from "./errors.js";
import { isLogLevel, logLevelOf, Observer } from "./observe.js";
import { paginate, walkPages, walkPagesReversed } from "./paginate.js";
import { pick } from "./path.js";
import { lowercased } from "./request.js";
import { abortable, MAX_DELAY } from "./retry.js";
import { createHider, secretHeaderValues } from "./secrets.js";
import type { OperationSpec, ProviderSpec } from "./spec.js";
import { guardedFetch, guardedSend, type TransportOptions } from "./transport.js";
import type { AllOptions, CallOptions, Client, ClientOptions, OperationTypes } from "./types.js";
import { checkCount, checkOptions, checkPathSegment } from "./validate.js";
import type { WalkTarget } from "./walk.js";

/** Default `maxResponseBytes`: many times the largest page any of the specs allows. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

// openapi-fetch's CommonJS build exports { default: createClient }; the CommonJS build of this
// package receives that object where the ESM build receives the function.
const createOpenApiFetch: typeof openapiFetch =
  typeof openapiFetch === "function"
    ? openapiFetch
    : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

/**
 * Builds a provider client from its generated tables. Everything provider-specific arrives as
 * data (`provider`, `operations`); this function knows no provider by name.
 *
 * `loadResponses` imports the package's response schemas, for `onDrift`.
 *
 * The API key lives only in the closure of the raw client's headers and of `hide`: nothing
 * reachable from the client object or from an error holds it.
 */
export function createClient<Paths extends {}, Ops extends { [K in keyof Ops]: OperationTypes }>(
  provider: ProviderSpec,
  operations: Record<keyof Ops & string, OperationSpec>,
  options: ClientOptions,
  loadResponses?: LoadResponses,
): Client<Paths, Ops> {
  checkClientOptions(provider, options);
  const apiKey = options.apiKey.trim();
  const secrets = [apiKey, ...secretHeaderValues(options.headers)];
  const baseUrl = options.baseUrl ?? provider.baseUrl;
  const headers = { ...options.headers, Authorization: `Bearer ${apiKey}` };
  const transport: TransportOptions = {
    provider: provider.name,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
  const raw = createOpenApiFetch<Paths>({
    baseUrl,
    fetch: guardedFetch(options.fetch, transport),
    headers,
    // Redirects are followed by the guarded fetch, within the request's origin only.
    redirect: "manual",
  });
  const discovered = new Map<string, Promise<string>>();
  const client: Record<string, unknown> = {};

  const context: CallContext = {
    provider,
    baseUrl,
    headers: lowercased(headers),
    send: guardedSend(options.fetch, transport),
    transport,
    timeout: options.timeout ?? 60_000,
    totalTimeout: options.totalTimeout,
    maxRetries: options.maxRetries ?? 2,
    backoff: options.backoff ?? {},
    hide: createHider(secrets),
    observer: new Observer(
      options.hooks,
      options.logger,
      logLevelOf(options.logLevel, options.logger !== undefined),
    ),
    checkDrift: options.onDrift && driftCheck(provider.name, options.onDrift, loadResponses),
    clientParam(name, callOptions) {
      const spec = provider.clientParams?.[name];
      const configured = spec && (options as unknown as Record<string, unknown>)[spec.option];
      if (typeof configured === "string") return Promise.resolve(configured);
      if (!spec?.discover) {
        return Promise.reject(new InputError(name, "required", "is required"));
      }
      const { operation, field } = spec.discover;
      let found = discovered.get(name);
      if (!found) {
        // Shared by every call that needs it, so not tied to the signal of the first caller.
        found = call(operation, {}, { ...callOptions, signal: undefined }).then((payload) => {
          const value = pick(payload, field);
          if (typeof value !== "string" || value === "" || value === "." || value === "..") {
            throw new InputError(
              spec.option,
              "required",
              `could not be discovered through ${operation}: its answer names none (a key of no ${name.replace(/_id$/, "")}?); pass the ${spec.option} option`,
            );
          }
          return value;
        });
        // A failed discovery is not cached: the next call tries again.
        found.catch(() => discovered.delete(name));
        discovered.set(name, found);
      }
      return abortable(found, callOptions.signal);
    },
  };

  const call = (
    operationId: string,
    input?: Record<string, unknown>,
    callOptions?: CallOptions,
  ) => {
    // Credentials given for one call are hidden like the client's, in that call's errors.
    const extra = secretHeaderValues(
      callOptions !== null && typeof callOptions === "object" ? callOptions.headers : undefined,
    );
    const callContext =
      extra.length > 0 ? { ...context, hide: createHider([...secrets, ...extra]) } : context;
    return callOperation(
      callContext,
      operationId,
      operations[operationId as keyof Ops & string],
      input,
      callOptions,
    ).catch((error: unknown) => {
      throw redact(error, callContext.hide);
    });
  };

  const walkDefaults = options.maxPages === undefined ? {} : { maxPages: options.maxPages };
  for (const [operationId, operation] of Object.entries<OperationSpec>(operations)) {
    const method = (input?: Record<string, unknown>, callOptions?: CallOptions) =>
      call(operationId, input, callOptions);
    const pagination = operation.pagination;
    if (pagination) {
      const target: WalkTarget = {
        provider: provider.name,
        operationId,
        spec: pagination,
        fetchPage: (page, pageOptions) => call(operationId, page, pageOptions),
      };
      const walkOptions = (allOptions?: AllOptions) => ({ ...walkDefaults, ...allOptions });
      Object.assign(method, {
        all: (input?: Record<string, unknown>, allOptions?: AllOptions) =>
          paginate(target, input, walkOptions(allOptions)),
        pages: (input?: Record<string, unknown>, allOptions?: AllOptions) =>
          walkPages(target, input, walkOptions(allOptions)),
        pagesReversed: (input?: Record<string, unknown>, allOptions?: AllOptions) =>
          walkPagesReversed(target, input, walkOptions(allOptions)),
      });
    }
    client[operationId] = method;
  }
  client.raw = raw;
  return client as Client<Paths, Ops>;
}

function checkClientOptions(provider: ProviderSpec, options: ClientOptions): void {
  checkOptions(options, "client options");
  const { apiKey, baseUrl, fetch, backoff, maxResponseBytes } = options;
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new InputError("apiKey", "required", "is required and must be a non-empty string");
  }
  // A header value the runtime rejects would be echoed, key and all, in its error message.
  if (/[^\x21-\x7e]/.test(apiKey.trim())) {
    throw new InputError("apiKey", "format", "must be printable ASCII without spaces");
  }
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    throw new InputError("baseUrl", "format", "must be an absolute http(s) URL");
  }
  if (baseUrl !== undefined && hasCredentials(baseUrl)) {
    throw new InputError(
      "baseUrl",
      "format",
      "must not contain user:password@ (credentials go in apiKey or headers)",
    );
  }
  checkCount("maxResponseBytes", maxResponseBytes, 1);
  checkObservers(options);
  if (options.onDrift !== undefined && typeof options.onDrift !== "function") {
    throw new InputError("onDrift", "type", "must be a function");
  }
  for (const spec of Object.values(provider.clientParams ?? {})) {
    const value = (options as unknown as Record<string, unknown>)[spec.option];
    if (value !== undefined) checkPathSegment(spec.option, value);
  }
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new InputError("fetch", "type", "must be a fetch function");
  }
  if (backoff !== undefined) {
    if (backoff === null || typeof backoff !== "object") {
      throw new InputError("backoff", "type", "must be an object");
    }
    for (const key of ["initialDelay", "maxDelay", "maxServerDelay"] as const) {
      checkCount(`backoff.${key}`, backoff[key], 0, MAX_DELAY, false);
    }
  }
}

function checkObservers({ logger, logLevel, hooks }: ClientOptions): void {
  if (logLevel !== undefined && !isLogLevel(logLevel)) {
    throw new InputError(
      "logLevel",
      "enum",
      'must be one of "off", "error", "warn", "info", "debug"',
    );
  }
  if (logger !== undefined) {
    for (const method of ["debug", "info", "warn", "error"] as const) {
      if (typeof logger?.[method] !== "function") {
        throw new InputError("logger", "type", `must have a ${method}() method`);
      }
    }
  }
  if (hooks !== undefined) {
    if (hooks === null || typeof hooks !== "object") {
      throw new InputError("hooks", "type", "must be an object of functions");
    }
    for (const name of ["onRequest", "onResponse"] as const) {
      if (hooks[name] !== undefined && typeof hooks[name] !== "function") {
        throw new InputError(`hooks.${name}`, "type", "must be a function");
      }
    }
  }
}

function hasCredentials(value: string): boolean {
  const url = new URL(value);
  return url.username !== "" || url.password !== "";
}

function isHttpUrl(value: unknown): boolean {
  try {
    return /^https?:$/.test(new URL(value as string).protocol);
  } catch {
    return false;
  }
}
