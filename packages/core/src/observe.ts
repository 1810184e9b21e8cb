/**
 * What a downstream service can watch: a `logger` with levels, and hooks called around every
 * attempt. Both receive the same facts — provider, operationId, method, path template (never
 * the filled-in path: it may hold ids), attempt number, status, duration, request id, the retry
 * delay — and never a body, a header or a key; error messages are already redacted. Core
 * depends on no logging or tracing library: the hooks are where OpenTelemetry, pino or a metrics
 * client plug in.
 */

export interface RequestInfo {
  provider: string;
  operationId: string;
  method: string;
  /** The spec's path template, e.g. "/v1/billing/teams/{team_id}/invoices". */
  path: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

export interface ResponseInfo extends RequestInfo {
  /** The HTTP status; undefined when no response arrived (connection failure, timeout). */
  status: number | undefined;
  /** Milliseconds from sending to the end of the body read. */
  durationMs: number;
  requestId: string | undefined;
  /** The failure of this attempt (name and redacted message), when it failed. */
  error: { name: string; message: string } | undefined;
  /** When another attempt follows: how long the client waits before it, in ms. */
  retryDelayMs: number | undefined;
}

export interface Hooks {
  /** Called before each attempt is sent. */
  onRequest?(info: RequestInfo): void;
  /** Called after each attempt, successful or not, once its outcome is known. */
  onResponse?(info: ResponseInfo): void;
}

/** Anything with console's four methods: console itself, pino, winston, a test double. */
export interface Logger {
  debug(message: string, fields?: object): void;
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  error(message: string, fields?: object): void;
}

export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

const LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

/**
 * The level in force: the option, else the `SPENDKIT_LOG` environment variable where the runtime
 * has one (Node, Bun, Deno with env access), else "warn" when a logger was given and "off" when
 * not — a library stays quiet on the console unless asked. An unknown value reads as "warn".
 */
export function logLevelOf(option: LogLevel | undefined, hasLogger: boolean): LogLevel {
  if (option !== undefined) return option;
  let value: unknown;
  try {
    value = (globalThis as { process?: { env?: Record<string, unknown> } }).process?.env
      ?.SPENDKIT_LOG;
  } catch {
    // Deno without --allow-env throws on env access: no variable, then.
  }
  if (typeof value !== "string" || value.trim() === "") return hasLogger ? "warn" : "off";
  const level = value.trim().toLowerCase();
  return isLogLevel(level) ? level : "warn";
}

/** Calls the hooks and the logger for each attempt; one per client. */
export class Observer {
  readonly #hooks: Hooks;
  readonly #logger: Logger | undefined;
  readonly #level: number;

  constructor(hooks: Hooks | undefined, logger: Logger | undefined, level: LogLevel) {
    this.#hooks = hooks ?? {};
    this.#logger = logger ?? (level === "off" ? undefined : (globalThis.console as Logger));
    this.#level = LEVELS.indexOf(level);
  }

  /** True when nothing listens: the call skips building the infos. */
  get idle(): boolean {
    return !this.#hooks.onRequest && !this.#hooks.onResponse && this.#level < 2;
  }

  request(info: RequestInfo): void {
    this.#safely(() => this.#hooks.onRequest?.(info));
    this.#log(
      4,
      "debug",
      `${info.provider} ${info.operationId}: ${info.method} ${info.path} (attempt ${info.attempt})`,
      info,
    );
  }

  response(info: ResponseInfo): void {
    this.#safely(() => this.#hooks.onResponse?.(info));
    const outcome =
      info.status === undefined ? (info.error?.name ?? "no response") : String(info.status);
    const base = `${info.provider} ${info.operationId}: ${outcome} in ${Math.round(info.durationMs)} ms (attempt ${info.attempt})`;
    if (info.retryDelayMs !== undefined) {
      this.#log(3, "info", `${base}; retrying in ${Math.round(info.retryDelayMs)} ms`, info);
    } else if (info.error) {
      this.#log(2, "warn", `${base}: ${info.error.message}`, info);
    } else {
      this.#log(4, "debug", base, info);
    }
  }

  #log(level: number, method: keyof Logger, message: string, fields: object): void {
    if (this.#level >= level && this.#logger)
      this.#safely(() => this.#logger![method](message, fields));
  }

  /** A hook or logger that throws must not break the call it watches. */
  #safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // deliberately ignored: observing never changes the outcome
    }
  }
}
