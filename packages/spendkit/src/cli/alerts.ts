import { printable } from "@spendkit/ledger";
import type { Alert } from "../alerts/alert.js";
import { sampleAlert } from "../alerts/payload.js";
import { type AlertRunResult, runAlerts, webhookTargets } from "../alerts/run.js";
import { deliverWebhook } from "../alerts/webhook.js";
import { loadConfig } from "../config.js";
import { parse, UsageError } from "./args.js";
import { type CliIO, note } from "./io.js";
import { STORE_HELP, STORE_OPTIONS, withStore } from "./store.js";

/** The exit code when an alert fired: a cron job can act on it. */
export const ALERT_FIRED = 3;

export const ALERTS_HELP = `Usage: spendkit alerts [options]

Evaluates the config's rules (budgets, balances, spikes) over the store — provider-billed
amounts, per currency, as fresh as the last spendkit sync — and sends what is new to each
webhook. Each crossing (rule, period, threshold) fires once: its state lives in the store, so
a rerun, a second process or a restart never sends it again; a balance or runway alert fires
again only after it has recovered. A delivery that fails for a while (5xx, 429, timeouts) is
retried with backoff, then again by the next run for a day; a 4xx answer is final.
spendkit sync runs this after syncing (--no-alerts skips it).

Options:
${STORE_HELP}
  --dry-run           say what would fire; record nothing, send nothing
  --test              send one signed sample alert to each webhook, and nothing else
  -h, --help          show this help

Exit codes: 0 nothing fired; 3 an alert fired (every delivery was made, or recorded as
undeliverable or due for a retry); 1 a --test delivery failed, or the store failed; 2 bad
usage (nothing was sent).
`;

export async function alertsCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      ...STORE_OPTIONS,
      "dry-run": { type: "boolean" },
      test: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "alerts",
  );
  if (values.help) {
    io.stdout.write(ALERTS_HELP);
    return 0;
  }
  if (values.test && values["dry-run"]) throw new UsageError("--test and --dry-run: choose one");
  const config = loadConfig(io, values.config);
  if (values.test)
    return sendTests(io, config.webhooks.length ? webhookTargets(config.webhooks, io.env) : []);
  if (config.rules.length === 0) {
    throw new UsageError(
      "no alert rules: add budgets, balances or spikes to spendkit.config.json (see the README)",
    );
  }
  const dryRun = values["dry-run"] === true;
  const targets = dryRun ? [] : webhookTargets(config.webhooks, io.env);
  return withStore(io, values.db, async (store, module) => {
    const result = await runAlerts(store, module, config, {
      dryRun,
      targets,
      onFired: (alert) => printAlert(io, alert),
    });
    return describeAlertRun(io, result, dryRun);
  });
}

/** One line per alert on stdout: its rule and its sentence. */
export function printAlert(io: CliIO, alert: Alert): void {
  io.stdout.write(`alert ${alert.rule.kind} ${alert.rule.name}: ${printable(alert.message)}\n`);
}

/** Deliveries on stderr, a dry run's alerts on stdout; resolves with the exit code. */
export function describeAlertRun(io: CliIO, result: AlertRunResult, dryRun: boolean): number {
  if (dryRun) {
    for (const alert of result.fired) {
      io.stdout.write(`would fire: `);
      printAlert(io, alert);
    }
  }
  for (const d of result.deliveries) {
    const attempts = `${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`;
    const said =
      d.state === "delivered"
        ? `delivered (${attempts})`
        : d.state === "undeliverable"
          ? `undeliverable: ${d.reason ?? "given up"}`
          : `not delivered yet (${attempts}; retried by the next run): ${d.reason ?? ""}`;
    note(io, `alert ${d.alertId} to webhook ${d.webhook}: ${said}`);
  }
  if (result.fired.length === 0) {
    if (dryRun) io.stdout.write("nothing would fire\n");
    return 0;
  }
  return ALERT_FIRED;
}

/** `--test`: one signed sample to each webhook; 1 when any was not delivered. */
async function sendTests(io: CliIO, targets: ReturnType<typeof webhookTargets>): Promise<number> {
  if (targets.length === 0) throw new UsageError("--test: the config has no webhooks");
  const alert = sampleAlert(new Date());
  let failed = 0;
  for (const target of targets) {
    const result = await deliverWebhook(target, alert);
    if (result.delivered) {
      io.stdout.write(`webhook ${target.name}: test alert delivered (HTTP ${result.status})\n`);
    } else {
      failed++;
      note(io, `webhook ${target.name}: test alert not delivered: ${result.reason}`);
    }
  }
  return failed ? 1 : 0;
}
