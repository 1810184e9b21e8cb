import type { Logger } from "@spendkit/core";
import type { Store } from "@spendkit/store";
import type { AlertConfig } from "../alerts/rules.js";
import { runAlerts } from "../alerts/run.js";
import type { WebhookTarget } from "../alerts/webhook.js";
import type { DistinctDrift } from "../drift.js";
import { type SyncJob, syncJobs } from "../sync/run.js";
import { startServer } from "./http.js";
import { storeRoutes } from "./routes.js";
import { Schedule } from "./schedule.js";

type StoreModule = typeof import("@spendkit/store");

/** A running service: where it listens, its first run, and how to stop it. */
export interface Service {
  url: string;
  port: number;
  /** Resolves when the first sync and alert run has ended (failed accounts included). */
  firstRun: Promise<void>;
  /** Stops taking requests, lets a running sync commit its batch, closes the store. */
  stop(): Promise<void>;
}

/** What a service runs on, prepared by its caller (every key and secret already found). */
export interface ServiceOptions {
  store: Store;
  module: StoreModule;
  jobs: readonly SyncJob[];
  /** What the jobs' clients report as drift (`syncJobsFor`'s `onDrift`), for the metrics. */
  drift: DistinctDrift;
  /** The rules and webhooks; `alerts: false` syncs only. */
  config: AlertConfig;
  alerts: boolean;
  targets: readonly WebhookTarget[];
  host: string;
  port: number;
  intervalMs: number;
  /** The read API's bearer token; without one, /v1 is off. */
  token: string | undefined;
  logger: Logger;
}

/**
 * Listens, and runs sync + alerts now and on schedule, on a store it then owns: `stop()`
 * closes it. A port that cannot be bound rejects (the caller still owns the store then).
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { store, module, jobs, config, logger, token } = options;
  const alerts = options.alerts && config.rules.length > 0;
  const targets = options.targets;
  const server = await startServer({
    host: options.host,
    port: options.port,
    token,
    routes: storeRoutes(store, module, config.rules, {
      seen: options.drift,
      providers: jobs.map((job) => job.account.provider),
    }),
    logger,
  });
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
    logger.error("sync failed", { account, error: module.describeError(error) });
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
