import { runAlerts, webhookTargets } from "../alerts/run.js";
import { loadConfig, NO_ACCOUNT, selectAccounts } from "../config.js";
import { type SyncReporter, syncJobs, syncJobsFor } from "../sync/run.js";
import { describeAlertRun, printAlert } from "./alerts.js";
import { parse, parseProviders, parseWindow, UsageError } from "./args.js";
import { DriftNotes, STRICT_HELP } from "./drift.js";
import { type CliIO, note, reportFailures } from "./io.js";
import { onInterrupt } from "./signals.js";
import { loadStore, openCliStore, STORE_HELP, STORE_OPTIONS } from "./store.js";
import { SyncProgressLine } from "./sync-progress.js";

export const SYNC_HELP = `Usage: spendkit sync [options]

Fetches what is new in each configured account into the store: from the latest entry already
stored minus an overlap (rows land late), up to now. Every page is committed together with the
account's high-water mark, so an interrupted sync loses nothing and the next one resumes. Rows
whose content changed get a new revision, rows no longer listed are marked vanished (never
deleted); both are recorded as audit events (spendkit audit). Requests are paced to each
account's rate limit. One sync per store at a time.

Options:
${STORE_HELP}
  --provider a,b      only the accounts of these providers
  --account a,b       only these accounts (name or provider/name)
  --overlap HOURS     how far before the high-water mark to start reading (default 48)
  --since DATE        where an account's first sync starts (YYYY-MM-DD in UTC, or RFC 3339);
                      no effect on accounts already synced. Default: the whole history, or,
                      for a cost report (which keeps none), its last 90 days
  --no-alerts         do not evaluate the alert rules after syncing
${STRICT_HELP}
  -h, --help          show this help

Each account's balance is read too and kept as a snapshot (floors, runway and metrics are as
fresh as the last sync). Then, when the config has alert rules, spendkit alerts runs.

Progress (rows, rate, time left) is shown on stderr when it is a terminal.
Exit codes: 0 ok; 1 an account failed (the others are synced) or another sync holds the
store, or (--strict) a response drifted from its spec, when nothing else went wrong; 2 bad
usage (nothing was requested); 3 an alert fired (see spendkit alerts), when no account failed
(1 comes first: the alerts were delivered all the same).
`;

export async function syncCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      ...STORE_OPTIONS,
      provider: { type: "string" },
      account: { type: "string" },
      overlap: { type: "string" },
      since: { type: "string" },
      "no-alerts": { type: "boolean" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "sync",
  );
  if (values.help) {
    io.stdout.write(SYNC_HELP);
    return 0;
  }
  const overlapMs = parseOverlap(values.overlap);
  const firstSince = parseWindow({ since: values.since }, new Date()).since;
  const config = loadConfig(io, values.config);
  const accounts = selectAccounts(config.accounts, {
    providers: parseProviders(values.provider),
    accounts: values.account
      ?.split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  });
  if (accounts.length === 0) {
    throw new UsageError(NO_ACCOUNT);
  }
  const alerts = !values["no-alerts"] && config.rules.length > 0;
  // Every webhook's secret is found before anything is sent, like every key.
  const targets = alerts ? webhookTargets(config.webhooks, io.env) : [];
  const module = await loadStore();
  // Every client is built (and every key found) before the store is opened or anything is sent.
  const progress = new SyncProgressLine(io);
  const drift = new DriftNotes(io, () => progress.clear());
  const jobs = syncJobsFor(io, module, accounts, drift.report);
  const store = await openCliStore(io, module, values.db);
  const controller = new AbortController();
  let closed: () => void = () => {};
  const whenClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  // On Ctrl-C: stop reading, and exit once the store is closed (its lock released); what was
  // committed stays, and the next sync resumes from it.
  const unregister = onInterrupt(() => {
    controller.abort(new Error("interrupted"));
    return whenClosed;
  });
  let failures = new Map<string, unknown>();
  let fired = 0;
  try {
    await store.withSyncLock(async () => {
      failures = await syncJobs(module, store, jobs, {
        signal: controller.signal,
        overlapMs,
        firstSince,
        reporter: cliReporter(io, progress),
      });
      if (alerts) {
        const result = await runAlerts(store, module, config, {
          targets,
          signal: controller.signal,
          onFired: (alert) => printAlert(io, alert),
        });
        fired = describeAlertRun(io, result, false);
      }
    });
  } finally {
    await store.close();
    closed();
    unregister();
  }
  const failed = reportFailures(io, failures, "the other accounts were synced");
  return failed || fired || drift.exitCode(0, values.strict);
}

/** The CLI's reporter: a line per account on stdout, warnings and progress on stderr. */
function cliReporter(io: CliIO, progress: SyncProgressLine): SyncReporter {
  return {
    done: (label, line) => io.stdout.write(`${label}: ${line}\n`),
    warn: (label, message) => {
      progress.clear();
      note(io, `warning: ${label}: ${message}`);
    },
    progress,
  };
}

function parseOverlap(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const hours = Number(value);
  if (value.trim() === "" || !Number.isFinite(hours) || hours < 0 || hours > 24 * 366) {
    throw new UsageError(`--overlap: "${value}" is not a number of hours (0 to 8784)`);
  }
  return hours * 3_600_000;
}
