import { adapterOf, balanceOnlyNote } from "@spendkit/ledger";
import { lostDays } from "../retention.js";
import { parse, parseProviders, parseWindow, UsageError } from "./args.js";
import { type AccountConfig, accountClient, loadAccounts, selectAccounts } from "./config.js";
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
  -h, --help          show this help

Progress (rows, rate, time left) is shown on stderr when it is a terminal.
Exit codes: 0 ok; 1 an account failed (the others are synced) or another sync holds the
store; 2 bad usage (nothing was requested).
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
  const accounts = selectAccounts(loadAccounts(io, values.config), {
    providers: parseProviders(values.provider),
    accounts: values.account
      ?.split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  });
  if (accounts.length === 0) {
    throw new UsageError(
      "no account to sync: write a spendkit.config.json (see spendkit sync --help) or set a provider's key variable",
    );
  }
  const module = await loadStore();
  // Every client is built (and every key found) before the store is opened or anything is sent.
  const jobs = accounts.map((account) => {
    const fetch = module.pacedFetch({ requestsPerMinute: account.requestsPerMinute });
    return { account, client: accountClient(io, account, { fetch }) };
  });
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
  const failures = new Map<string, unknown>();
  try {
    await store.withSyncLock(async () => {
      const status = new Map(
        (await module.accountStatus(store)).map((s) => [`${s.provider}/${s.account}`, s]),
      );
      for (const { account, client } of jobs) {
        const label = `${account.provider}/${account.name}`;
        const adapter = adapterOf(account.provider);
        if (!adapter.entries) {
          io.stdout.write(`${label}: no entries to sync: ${balanceOnlyNote(account.provider)}\n`);
          continue;
        }
        warnOfLostDays(io, label, status.get(label), adapter.retentionDays);
        try {
          const result = await syncOne(io, module, store, account, client, controller.signal, {
            overlapMs,
            firstSince,
          });
          const history = adapterOf(account.provider).defaultHistoryDays;
          const from = result.window.since
            ? ` from ${result.window.since.toISOString()}`
            : history
              ? `, the last ${history} days: the provider keeps no whole history (--since reads further back)`
              : ", the whole history";
          io.stdout.write(
            `${label}: ${result.inserted.toLocaleString("en-US")} new, ${result.revised} changed, ${result.vanished} vanished (${result.read.toLocaleString("en-US")} read${from})\n`,
          );
        } catch (error) {
          if (controller.signal.aborted) throw error;
          failures.set(label, error);
        }
      }
    });
  } finally {
    await store.close();
    closed();
    unregister();
  }
  return reportFailures(io, failures, "the other accounts were synced");
}

async function syncOne(
  io: CliIO,
  module: Awaited<ReturnType<typeof loadStore>>,
  store: Awaited<ReturnType<typeof openCliStore>>,
  account: AccountConfig,
  client: unknown,
  signal: AbortSignal,
  window: { overlapMs: number | undefined; firstSince: Date | undefined },
) {
  const adapter = adapterOf(account.provider);
  const entries = adapter.entries!;
  const label = `${account.provider}/${account.name}`;
  const progress = new SyncProgressLine(io);
  progress.start(label);
  try {
    const result = await module.syncAccount(store, {
      provider: account.provider,
      account: account.name,
      signal,
      ...(window.overlapMs !== undefined ? { overlapMs: window.overlapMs } : {}),
      firstSince: window.firstSince,
      openHours: adapter.openBucketHours,
      source: (window, sourceSignal) =>
        entries(client, {
          window,
          signal: sourceSignal,
          warn: (message: string) => {
            progress.clear();
            note(io, `warning: ${label}: ${message}`);
          },
          reportTotal: (rows: number) => progress.total(rows),
        }),
      onBatch: (done) => progress.update(done.read),
    });
    progress.finish(result.read);
    return result;
  } catch (error) {
    progress.clear();
    throw error;
  }
}

/**
 * For a provider that keeps only its last days: a warning, naming the days, when the account's
 * last successful sync (or, after failures, its latest stored entry) is older than that — rows of
 * those days are gone for good. Said before the sync, which cannot bring them back.
 */
function warnOfLostDays(
  io: CliIO,
  label: string,
  status: { lastSuccess?: string | undefined; highWaterMark?: string | undefined } | undefined,
  retentionDays: number | undefined,
): void {
  if (!retentionDays || !status) return;
  const stored = [status.lastSuccess, status.highWaterMark && nextDay(status.highWaterMark)]
    .filter((time): time is string => Boolean(time))
    .sort()
    .at(-1);
  if (!stored) return;
  const lost = lostDays(new Date(stored), new Date(), retentionDays);
  if (!lost) return;
  const days = lost.count === 1 ? lost.first : `${lost.first} to ${lost.last}`;
  note(
    io,
    `warning: ${label}: rows were lost: the provider keeps only its last ${retentionDays} days, and this account was last synced up to ${stored.slice(0, 10)}; ${lost.count} day${lost.count === 1 ? "" : "s"} (${days}, UTC) can no longer be read. Sync at least every ${retentionDays - 2} days (spendkit serve, or cron).`,
  );
}

/** The day after a stored entry's day: the first the store may lack. */
function nextDay(time: string): string {
  return new Date(Date.parse(time.slice(0, 10)) + 86_400_000).toISOString();
}

function parseOverlap(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const hours = Number(value);
  if (value.trim() === "" || !Number.isFinite(hours) || hours < 0 || hours > 24 * 366) {
    throw new UsageError(`--overlap: "${value}" is not a number of hours (0 to 8784)`);
  }
  return hours * 3_600_000;
}
