import type { Client as OpenApiFetchClient } from "openapi-fetch";
import type { DriftReport } from "./drift.js";
import type { Hooks, Logger, LogLevel } from "./observe.js";
import type { Backoff } from "./retry.js";

/** Options of a client factory. */
export interface ClientOptions {
  /** Required. Sent as a bearer token; never logged and never part of an error. */
  apiKey: string;
  /** Default: the provider's production URL (the spec's first server). */
  baseUrl?: string;
  /** Milliseconds per attempt. Default 60_000. */
  timeout?: number;
  /**
   * Milliseconds for a whole call: every attempt, retry wait and server-imposed delay included.
   * Default: no bound beyond `timeout` × attempts. A call that runs out rejects with a
   * `TimeoutError` whose `scope` is "call"; a retry wait that would end past it is not started.
   */
  totalTimeout?: number;
  /** Retries after the first attempt, for retry-safe operations only. Default 2. */
  maxRetries?: number;
  /** Backoff timing; the defaults suit production. */
  backoff?: Backoff;
  fetch?: typeof fetch;
  /** Extra headers on every request (credential values among them are redacted like the key). */
  headers?: Record<string, string>;
  /**
   * The largest response body accepted, in bytes; a larger one fails with a
   * `ResponseTooLargeError` while it streams. Default 32 MiB.
   */
  maxResponseBytes?: number;
  /** The default `maxPages` of every page walk of this client. Default 10_000. */
  maxPages?: number;
  /**
   * Where the client logs each attempt (debug), each retry (info) and each failure (warn):
   * anything with console's methods. Default: the console when a level is set, else nothing.
   */
  logger?: Logger;
  /**
   * Default: the `SPENDKIT_LOG` environment variable ("debug", "info", "warn", "error", "off"),
   * else "warn" with a `logger` and "off" without one.
   */
  logLevel?: LogLevel;
  /** Called around every attempt with its method, path template, status, timing and request id. */
  hooks?: Hooks;
  /**
   * Called with each difference between a response and the spec's schema for its status: a
   * field of another type, a required field missing, an undocumented field, an enum value or a
   * format the spec does not list. Never with the payload's values. The call still returns.
   * Unset (the default), responses are not checked at all.
   */
  onDrift?: (report: DriftReport) => void;
}

/** Options of one call; each overrides the client's. */
export interface CallOptions {
  /** Aborts the request in flight and any retry wait; the call rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Milliseconds per attempt. */
  timeout?: number;
  /** Milliseconds for the whole call, retries and waits included (see ClientOptions). */
  totalTimeout?: number;
  /** Retries after the first attempt, for retry-safe operations only. */
  maxRetries?: number;
  headers?: Record<string, string>;
}

/** Options of `.all()`, `.pages()` and `.pagesReversed()`; the call options apply to each page. */
export interface AllOptions extends CallOptions {
  /** Pages fetched ahead of the one being read, when the total is known. Default 4. */
  concurrency?: number;
  /**
   * The most pages one walk requests; a list that goes on past it fails with a
   * `PaginationError` rather than walking on. Default: the client's, else 10_000.
   */
  maxPages?: number;
  /** Told the row count the first page reports, when it reports a usable one (for progress). */
  onTotal?: ((total: number) => void) | undefined;
}

/** What the generator records of one operation's types. */
export interface OperationTypes {
  input: object;
  result: unknown;
  /** Paginated operations: the type of one item of `.all()`. */
  item?: unknown;
  /** Paginated operations: the input fields `.all()` fills in itself (page number and size). */
  pageFields?: string;
  /** Cursor-paginated operations: walked forwards only. */
  cursor?: true;
}

type Args<T extends OperationTypes, O> = Empty extends T["input"]
  ? [input?: T["input"], options?: O]
  : [input: T["input"], options?: O];

/** `.all()` takes the same input with the page fields optional: it sets them itself. */
type AllInput<T extends OperationTypes> = T extends { pageFields: infer F extends string }
  ? Omit<T["input"], F> & Partial<Pick<T["input"], F & keyof T["input"]>>
  : T["input"];
type AllArgs<T extends OperationTypes> =
  Empty extends AllInput<T>
    ? [input?: AllInput<T>, options?: AllOptions]
    : [input: AllInput<T>, options?: AllOptions];

export type Method<T extends OperationTypes> = ((
  ...args: Args<T, CallOptions>
) => Promise<T["result"]>) &
  (T extends { item: infer Item }
    ? {
        /** Every item, page after page, in server order. */
        all(...args: AllArgs<T>): AsyncIterable<Item>;
        /** Every page's items, in server order. */
        pages(...args: AllArgs<T>): AsyncIterable<Item[]>;
      } & (T extends { cursor: true }
        ? unknown
        : {
            /**
             * Every page's items from the last page to the first, each page reversed: the whole
             * list in reverse server order (oldest first, for a newest-first list). Needs a total.
             */
            pagesReversed(...args: AllArgs<T>): AsyncIterable<Item[]>;
          })
    : unknown);

/** A generated client: one method per operationId, plus the raw openapi-fetch client. */
export type Client<Paths extends Empty, Ops extends { [K in keyof Ops]: OperationTypes }> = {
  readonly [K in keyof Ops]: Method<Ops[K]>;
} & {
  /** The underlying openapi-fetch client, authenticated, for anything the methods do not cover. */
  readonly raw: OpenApiFetchClient<Paths>;
};

// ---- Type helpers the generated operation tables use ----------------------------------------

// biome-ignore lint/complexity/noBannedTypes: `{}` is exactly "an object with no fields" here.
type Empty = {};

type Part<T> = [T] extends [never] ? Empty : [T] extends [undefined] ? Empty : NonNullable<T>;
type ParamsOf<Op> = Op extends { parameters: infer P } ? P : Empty;
type PathOf<Op> = ParamsOf<Op> extends { path?: infer X } ? Part<X> : Empty;
type QueryOf<Op> = ParamsOf<Op> extends { query?: infer X } ? Unbracketed<Part<X>> : Empty;
/** A query parameter spelt `name[]` on the wire is `name` in the input (see `OperationSpec.wire`). */
type Unbracketed<Q> = { [K in keyof Q as K extends `${infer Name}[]` ? Name : K]: Q[K] };
type BodyOf<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } }
  ? Part<B>
  : Empty;
type Simplify<T> = { [K in keyof T]: T[K] } & Empty;

/**
 * The one flat object a method takes: path, query and body fields side by side. Fields named
 * in `ClientFilled` (such as xAI's `team_id`) become optional: the client supplies them.
 */
export type FlatInput<Op, ClientFilled extends string = never> = Simplify<
  Omit<PathOf<Op> & QueryOf<Op> & BodyOf<Op>, ClientFilled> &
    Partial<Pick<PathOf<Op> & QueryOf<Op> & BodyOf<Op>, ClientFilled & keyof PathOf<Op>>>
>;

/** The JSON body of an operation's success response. */
export type SuccessBody<Op> = Op extends { responses: infer R }
  ? R extends { 200: { content: { "application/json": infer B } } }
    ? B
    : R extends { 201: { content: { "application/json": infer B } } }
      ? B
      : undefined
  : never;
