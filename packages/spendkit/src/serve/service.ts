import type { Logger } from "@spendkit/core";
import type { Store } from "@spendkit/store";
import type { AlertConfig } from "../alerts/rules.js";
import { runAlerts, webhookTargets } from "../alerts/run.js";
import type { WebhookTarget } from "../alerts/webhook.js";
import { UsageError } from "../cli/args.js";
import { accountClient, type SpendkitConfig } from "../cli/config.js";
import { type CliIO, describeError } from "../cli/io.js";
import { loadStore, openCliStore, type StoreModule } from "../cli/store.js";
import { type SyncJob, syncJobs } from "../sync/run.js";
import { type RunningServer, startServer } from "./http.js";
import { storeRoutes } from "./routes.js";
import { Schedule } from "./schedule.js";

/** A running service: where it listens, its first run, and how to stop it. */
export interface Service {
  url: string;
  port: number;
  /** Resolves when the first sync and alert run has ended (failed accounts included). */
  firstRun: Promise<void>;
  /** Stops taking requests, lets a running sync commit its batch, closes the store. */
  stop(): Promise<void>;
}

/**
 * Opens the store, listens, and runs sync + alerts now and on schedule. Every key and webhook
 * secret is found before the store is opened; a port that cannot be bound closes the store.
 */
export async function startService(
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
  const { config, logger } = options;
  if (config.accounts.length === 0) {
    throw new UsageError(
      "no account to sync: write a spendkit.config.json (see spendkit sync --help) or set a provider's key variable",
    );
  }
  const alerts = options.alerts && config.rules.length > 0;
  const targets = alerts ? webhookTargets(config.webhooks, io.env) : [];
  const token = io.env.SPENDKIT_SERVE_TOKEN?.trim() || undefined;
  const module = await loadStore();
  const jobs = config.accounts.map((account) => {
    const fetch = module.pacedFetch({ requestsPerMinute: account.requestsPerMinute });
    return { account, client: accountClient(io, account, { fetch }) };
  });
  const store = await openCliStore(io, module, options.db);
  let server: RunningServer;
  try {
    server = await startServer({
      host: options.host,
      port: options.port,
      token,
      routes: storeRoutes(store, module, config.rules),
      logger,
    });
  } catch (error) {
    await store.close();
    throw new UsageError(
      `cannot listen on ${options.host}:${options.port}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  logger.info("listening", {
    url: server.url,
    port: server.port,
    store: store.description,
    accounts: jobs.length,
    intervalSeconds: options.intervalMs / 1000,
    api: token ? "on" : "off (SPENDKIT_SERVE_TOKEN is not set)",
  });
  let firstRunDone: () => void = () => {};
  const firstRun = new Promise<void>((resolve) => {
    firstRunDone = resolve;
  });
  const schedule = new Schedule({
    intervalMs: options.intervalMs,
    cycle: async (signal) => {
      try {
        await store.withSyncLock(() =>
          runCycle(store, module, jobs, { config, alerts, targets, signal, logger }),
        );
      } finally {
        firstRunDone();
      }
    },
    onError: (error) =>
      logger.error("run failed", {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info("stopping");
      await server.close();
      await schedule.stop();
      await store.close();
      logger.info("stopped");
    })();
    return stopping;
  };
  schedule.start();
  return { url: server.url, port: server.port, firstRun, stop };
}

/** One run: every account synced (its balance recorded), then the rules evaluated. */
async function runCycle(
  store: Store,
  module: StoreModule,
  jobs: readonly SyncJob[],
  run: {
    config: AlertConfig;
    alerts: boolean;
    targets: readonly WebhookTarget[];
    signal: AbortSignal;
    logger: Logger;
  },
): Promise<void> {
  const { logger } = run;
  const started = Date.now();
  const failures = await syncJobs(module, store, jobs, {
    signal: run.signal,
    reporter: {
      done: (account, line) => logger.info("synced", { account, result: line }),
      warn: (account, message) => logger.warn(message, { account }),
    },
  });
  for (const [account, error] of failures) {
    logger.error("sync failed", { account, error: describeError(account.split("/")[0]!, error) });
  }
  if (run.alerts) await alertCycle(store, module, run.config, run.targets, run.signal, logger);
  logger.info("run finished", {
    ms: Date.now() - started,
    accounts: jobs.length,
    failed: failures.size,
  });
}

/** Evaluates the rules after a sync; each alert and each delivery is a log line. */
async function alertCycle(
  store: Store,
  module: StoreModule,
  config: AlertConfig,
  targets: readonly WebhookTarget[],
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  await runAlerts(store, module, config, {
    targets,
    signal,
    onFired: (alert) =>
      logger.warn("alert fired", { id: alert.id, rule: alert.rule.name, message: alert.message }),
    onDelivery: (d) =>
      (d.state === "delivered" ? logger.info : logger.warn)("alert delivery", {
        id: d.alertId,
        webhook: d.webhook,
        state: d.state,
        attempts: d.attempts,
        ...(d.reason ? { reason: d.reason } : {}),
      }),
  });
}
