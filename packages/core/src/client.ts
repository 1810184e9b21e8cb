import createOpenApiFetch from "openapi-fetch";
import { type CallContext, callOperation } from "./call.js";
import { InputError } from "./errors.js";
import { paginate } from "./paginate.js";
import { pick } from "./path.js";
import type { OperationSpec, ProviderSpec } from "./spec.js";
import type { CallOptions, Client, ClientOptions, OperationTypes } from "./types.js";

/**
 * Builds a provider client from its generated tables. Everything provider-specific arrives as
 * data (`provider`, `operations`); this function knows no provider by name.
 */
export function createClient<Paths extends {}, Ops extends { [K in keyof Ops]: OperationTypes }>(
  provider: ProviderSpec,
  operations: Record<keyof Ops & string, OperationSpec>,
  options: ClientOptions,
): Client<Paths, Ops> {
  checkOptions(options);
  const raw = createOpenApiFetch<Paths>({
    baseUrl: options.baseUrl ?? provider.baseUrl,
    fetch: options.fetch,
    headers: { ...options.headers, Authorization: `Bearer ${options.apiKey}` },
  });
  const discovered = new Map<string, Promise<string>>();
  const client: Record<string, unknown> = {};

  const context: CallContext = {
    provider,
    raw: raw as CallContext["raw"],
    timeout: options.timeout ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    backoff: options.backoff,
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
        found = call(operation, {}, callOptions).then((payload) => {
          const value = pick(payload, field);
          if (typeof value !== "string" || value === "") {
            throw new InputError(
              spec.option,
              "required",
              `could not be discovered through ${operation}`,
            );
          }
          return value;
        });
        // A failed discovery is not cached: the next call tries again.
        found.catch(() => discovered.delete(name));
        discovered.set(name, found);
      }
      return found;
    },
  };

  const call = (operationId: string, input?: Record<string, unknown>, callOptions?: CallOptions) =>
    callOperation(
      context,
      operationId,
      operations[operationId as keyof Ops & string],
      input,
      callOptions,
    );

  for (const [operationId, operation] of Object.entries<OperationSpec>(operations)) {
    const method = (input?: Record<string, unknown>, callOptions?: CallOptions) =>
      call(operationId, input, callOptions);
    const pagination = operation.pagination;
    if (pagination) {
      Object.assign(method, {
        all: (input?: Record<string, unknown>, allOptions?: CallOptions) =>
          paginate(
            (page, pageOptions) => call(operationId, page, pageOptions),
            pagination,
            input,
            allOptions,
          ),
      });
    }
    client[operationId] = method;
  }
  client.raw = raw;
  return client as Client<Paths, Ops>;
}

function checkOptions(options: ClientOptions): void {
  if (options === null || typeof options !== "object") {
    throw new InputError("", "type", "client options must be an object with at least { apiKey }");
  }
  if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
    throw new InputError("apiKey", "required", "is required and must be a non-empty string");
  }
  if (options.baseUrl !== undefined && !isHttpUrl(options.baseUrl)) {
    throw new InputError("baseUrl", "format", "must be an absolute http(s) URL");
  }
  if (options.timeout !== undefined && !(Number.isFinite(options.timeout) && options.timeout > 0)) {
    throw new InputError("timeout", "minimum", "must be a positive number of milliseconds");
  }
  if (
    options.maxRetries !== undefined &&
    !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)
  ) {
    throw new InputError("maxRetries", "minimum", "must be an integer of at least 0");
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
