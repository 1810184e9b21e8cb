import { createJsonLogger, isLogLevel, type Logger } from "@spendkit/core";
import { webhookTargets } from "../alerts/run.js";
import { loadConfig, NO_ACCOUNT, type SpendkitConfig } from "../config.js";
import { DistinctDrift } from "../drift.js";
import { type Service, startService } from "../serve/service.js";
import { syncJobsFor } from "../sync/run.js";
import { parse, UsageError } from "./args.js";
import type { CliIO } from "./io.js";
import { onShutdown } from "./signals.js";
import { loadStore, openCliStore, STORE_HELP, STORE_OPTIONS } from "./store.js";

export const DEFAULT_PORT = 9477;
/** How long a stop waits for a running sync to commit its batch and the store to close. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

export const SERVE_HELP = `Usage: spendkit serve [options]

Runs until stopped: syncs every configured account and evaluates the alert rules on a
schedule (one run at a time, holding the store's sync lock), and answers over HTTP:
  GET /metrics        Prometheus text exposition: balances, spend, runway, budgets, syncs
  GET /healthz        the process answers
  GET /readyz         the store is open and migrated
  GET /v1/balances    JSON read API for services: the latest balance per account and currency
  GET /v1/spend       spend, ?since=&until=&group_by=provider,account,project,model,day
  GET /v1/alerts      the alerts that fired, newest first, with their deliveries
The /v1 API needs Authorization: Bearer $SPENDKIT_SERVE_TOKEN; without that variable it is off.
Logs are JSON lines on stderr. SIGTERM or SIGINT: stop taking requests, let a running sync
commit its batch, close the store, exit 0.

Options:
${STORE_HELP}
  --host HOST         the address to listen on (default 127.0.0.1; 0.0.0.0 for every one)
  --port PORT         the port (default ${DEFAULT_PORT}; 0 for a free one, logged at start)
  --interval TIME     between runs: 90s, 15m, 1h (default 1h, moved by up to 10 % so that
                      instances spread out; at least 1s)
  --no-alerts         sync only; do not evaluate the alert rules
  --log-level LEVEL   error, warn, info (default) or debug
  -h, --help          show this help
`;

export async function serveCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      ...STORE_OPTIONS,
      host: { type: "string" },
      port: { type: "string" },
      interval: { type: "string" },
      "no-alerts": { type: "boolean" },
      "log-level": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    "serve",
  );
  if (values.help) {
    io.stdout.write(SERVE_HELP);
    return 0;
  }
  const host = values.host ?? "127.0.0.1";
  if (host.trim() === "" || /\s/.test(host)) throw new UsageError("--host: give an address");
  const port = parsePort(values.port);
  const intervalMs = parseInterval(values.interval);
  const level = values["log-level"] ?? "info";
  if (!isLogLevel(level) || level === "off") {
    throw new UsageError("--log-level: one of error, warn, info, debug");
  }
  const service = await openService(io, {
    config: loadConfig(io, values.config),
    db: values.db,
    host,
    port,
    intervalMs,
    alerts: !values["no-alerts"],
    logger: createJsonLogger((line) => io.stderr.write(line), level),
  });
  onShutdown(() => service.stop(), SHUTDOWN_TIMEOUT_MS);
  // Runs until a signal: the shutdown handler stops everything and exits the process.
  return new Promise<number>(() => {});
}

/**
 * Prepares and starts the service: every key and webhook secret is found before the store is
 * opened, and a port that cannot be bound closes the store again.
 */
export async function openService(
  io: CliIO,
  options: {
    config: SpendkitConfig;
    db: string | undefined;
    host: string;
    port: number;
    intervalMs: number;
    alerts: boolean;
    logger: Logger;
  },
): Promise<Service> {
  const { config } = options;
  if (config.accounts.length === 0) {
    throw new UsageError(NO_ACCOUNT);
  }
  const alerts = options.alerts && config.rules.length > 0;
  const targets = alerts ? webhookTargets(config.webhooks, io.env) : [];
  const module = await loadStore();
  // Each distinct drift is logged once in the service's life, never with the value that drifted.
  const drift = new DistinctDrift(({ provider, operationId, status, pointer, problem, expected }) =>
    options.logger.warn("drift", { provider, operationId, status, pointer, problem, expected }),
  );
  const jobs = syncJobsFor(io, module, config.accounts, drift.report);
  const store = await openCliStore(io, module, options.db);
  try {
    return await startService({
      store,
      module,
      jobs,
      drift,
      config,
      alerts,
      targets,
      host: options.host,
      port: options.port,
      intervalMs: options.intervalMs,
      token: io.env.SPENDKIT_SERVE_TOKEN?.trim() || undefined,
      logger: options.logger,
    });
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw code
      ? new UsageError(`cannot listen on ${options.host}:${options.port}: ${code}`)
      : error;
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535) {
    throw new UsageError("--port: a number from 0 to 65535");
  }
  return port;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "1h", "1d" (a bare number is seconds); 1s to 7d. */
export function parseInterval(value: string | undefined): number {
  if (value === undefined) return UNIT_MS.h!;
  const match = /^(\d{1,6}(?:\.\d{1,3})?)(s|m|h|d)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? "s"]! : Number.NaN;
  if (!(ms >= 1_000 && ms <= 7 * UNIT_MS.d!)) {
    throw new UsageError("--interval: a time from 1s to 7d, such as 90s, 15m or 1h");
  }
  return ms;
}
