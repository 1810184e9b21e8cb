import type { Store } from "@spendkit/store";
import { UsageError } from "../usage-error.js";
import type { Alert } from "./alert.js";
import { evaluateRules } from "./evaluate.js";
import type { AlertConfig, WebhookConfig } from "./rules.js";
import { deliverWebhook, type WebhookTarget } from "./webhook.js";

type StoreModule = typeof import("@spendkit/store");

/** A delivery still due this long after its alert fired is given up on: the news is stale. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** Longer than a delivery's retries take (attempts × (timeout + longest backoff)). */
const CLAIM_MS = 10 * 60_000;

export interface AlertRunOptions {
  now?: Date | undefined;
  /** Evaluate and say what would fire; record nothing, send nothing. */
  dryRun?: boolean | undefined;
  /** The webhooks' targets, their secrets read (see webhookTargets). */
  targets: readonly WebhookTarget[];
  fetch?: typeof fetch | undefined;
  signal?: AbortSignal | undefined;
  /** Told of each alert as it fires, and of each delivery's outcome. */
  onFired?: (alert: Alert) => void;
  onDelivery?: (outcome: DeliveryOutcome) => void;
}

export interface DeliveryOutcome {
  alertId: string;
  webhook: string;
  state: "delivered" | "undeliverable" | "due";
  attempts: number;
  reason?: string | undefined;
}

export interface AlertRunResult {
  /** The crossings that fired in this run (dry run: that would fire). */
  fired: Alert[];
  deliveries: DeliveryOutcome[];
}

/**
 * The webhooks' targets, each secret read from its variable. A variable that is not set is bad
 * usage, found before the store is opened or anything is sent.
 */
export function webhookTargets(
  webhooks: readonly WebhookConfig[],
  env: Record<string, string | undefined>,
): WebhookTarget[] {
  return webhooks.map((hook) => {
    const secret = hook.secretEnv ? env[hook.secretEnv]?.trim() : undefined;
    if (hook.secretEnv && !secret) {
      throw new UsageError(`webhook ${hook.name}: its secret variable (secretEnv) is not set`);
    }
    return { name: hook.name, url: hook.url, format: hook.format, secret };
  });
}

/**
 * Evaluates every rule over the store and delivers what is new: each crossing is recorded as
 * fired (once, whatever else evaluates the same store) with one delivery due per webhook, then
 * every delivery still due — this run's and those an earlier run could not finish — is sent.
 * A crash between sending and recording may send one twice: the alert's id is stable.
 */
export async function runAlerts(
  store: Store,
  module: StoreModule,
  config: AlertConfig,
  options: AlertRunOptions,
): Promise<AlertRunResult> {
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const crossings = await evaluateRules(store, module, config.rules, { now, dryRun });
  if (dryRun) {
    const fired = await module.firedIds(
      store.db,
      crossings.map((c) => c.alert.id),
    );
    return {
      fired: crossings.filter((c) => !fired.has(c.alert.id)).map((c) => c.alert),
      deliveries: [],
    };
  }
  const webhooks = options.targets.map((t) => t.name);
  const fired: Alert[] = [];
  for (const crossing of crossings) {
    const recorded = await module.recordFiring(
      store,
      {
        id: crossing.alert.id,
        rule: crossing.alert.rule.name,
        kind: crossing.alert.rule.kind,
        subject: crossing.subject,
        periodStart: crossing.periodStart,
        threshold: crossing.alert.threshold,
        alert: crossing.alert,
      },
      webhooks,
    );
    if (!recorded) continue;
    fired.push(crossing.alert);
    options.onFired?.(crossing.alert);
  }
  const deliveries = await deliverDue(store, module, options, now);
  return { fired, deliveries };
}

async function deliverDue(
  store: Store,
  module: StoreModule,
  options: AlertRunOptions,
  now: Date,
): Promise<DeliveryOutcome[]> {
  const targets = new Map(options.targets.map((t) => [t.name, t]));
  const outcomes: DeliveryOutcome[] = [];
  for (const due of await module.claimDueDeliveries(store.db, CLAIM_MS)) {
    const target = targets.get(due.webhook);
    const stale = now.getTime() - Date.parse(due.firedAt) > GIVE_UP_AFTER_MS;
    let outcome: DeliveryOutcome;
    if (!target || stale) {
      outcome = {
        alertId: due.alertId,
        webhook: due.webhook,
        state: "undeliverable",
        attempts: 0,
        reason: target
          ? "still undelivered a day after the alert fired: given up"
          : "the webhook is no longer configured",
      };
      await module.recordDelivery(store.db, due.alertId, due.webhook, {
        delivered: false,
        attempts: 0,
        giveUp: true,
        error: outcome.reason,
      });
    } else {
      const result = await deliverWebhook(target, due.alert as Alert, {
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const reason = result.delivered ? undefined : result.reason;
      const giveUp = !result.delivered && result.final;
      await module.recordDelivery(store.db, due.alertId, due.webhook, {
        delivered: result.delivered,
        attempts: result.attempts,
        giveUp,
        error: reason,
      });
      outcome = {
        alertId: due.alertId,
        webhook: due.webhook,
        state: result.delivered ? "delivered" : giveUp ? "undeliverable" : "due",
        attempts: result.attempts,
        reason,
      };
    }
    outcomes.push(outcome);
    options.onDelivery?.(outcome);
  }
  return outcomes;
}
