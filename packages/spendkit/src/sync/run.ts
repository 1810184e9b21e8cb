import type { DriftReport } from "@spendkit/core";
import { adapterOf, balanceOnlyNote, formatMicros } from "@spendkit/ledger";
import type { Store } from "@spendkit/store";
import { type AccountConfig, accountClient, type ConfigContext } from "../config.js";
import { lostDays } from "../retention.js";

type StoreModule = typeof import("@spendkit/store");

/** One account to sync, with its client (built, and its key found, before anything is sent). */
export interface SyncJob {
  account: AccountConfig;
  client: unknown;
}

/**
 * The jobs of a sync: each account's client, its key found and its requests paced to the
 * account's limit, and each answer checked against its spec (`onDrift`), as every command that
 * calls an API does: a daily sync is where a provider's change shows first. Built before the
 * store is opened or anything is sent: a missing key is bad usage, reported first.
 */
export function syncJobsFor(
  io: ConfigContext,
  module: StoreModule,
  accounts: readonly AccountConfig[],
  onDrift: (report: DriftReport) => void,
): SyncJob[] {
  return accounts.map((account) => {
    const fetch = module.pacedFetch({ requestsPerMinute: account.requestsPerMinute });
    return { account, client: accountClient(io, account, { fetch, onDrift }) };
  });
}

/** The balances a provider reports now, one per currency, as exact decimal text. */
export async function readBalances(
  account: AccountConfig,
  client: unknown,
  signal?: AbortSignal,
): Promise<{ currency: string; balance: string }[]> {
  const adapter = adapterOf(account.provider);
  if (!adapter.balance) return [];
  return (await adapter.balance(client, signal)).map((b) => ({
    currency: b.currency,
    balance: formatMicros(b.micros),
  }));
}

/** Where a sync run says what happened: the CLI prints it, the service logs it. */
export interface SyncReporter {
  /** What was done for one account, in one line. */
  done(label: string, line: string): void;
  warn(label: string, message: string): void;
  /** Rows read so far (the CLI draws a progress line from these). */
  progress?: {
    start(label: string): void;
    total(rows: number): void;
    update(read: number): void;
    finish(read: number): void;
    clear(): void;
  };
}

export interface SyncRunOptions {
  signal: AbortSignal;
  overlapMs?: number | undefined;
  firstSince?: Date | undefined;
  reporter: SyncReporter;
}

/**
 * Syncs each account in turn: what is new of its entries, then its balance now, recorded as a
 * snapshot (so that floors, runway and metrics are as fresh as the last sync). The caller holds
 * the store's sync lock. Resolves with the accounts that failed (the others are synced); an
 * abort stops the run and rejects once the batch in flight is committed.
 */
export async function syncJobs(
  module: StoreModule,
  store: Store,
  jobs: readonly SyncJob[],
  options: SyncRunOptions,
): Promise<Map<string, unknown>> {
  const status = new Map(
    (await module.accountStatus(store)).map((s) => [`${s.provider}/${s.account}`, s]),
  );
  const failures = new Map<string, unknown>();
  for (const { account, client } of jobs) {
    const label = `${account.provider}/${account.name}`;
    const ref = { provider: account.provider, account: account.name };
    const adapter = adapterOf(account.provider);
    let entriesDone = false;
    try {
      if (adapter.entries) {
        warnOfLostDays(options.reporter, label, status.get(label), adapter.retentionDays);
        options.reporter.done(label, await syncEntries(module, store, account, client, options));
        entriesDone = true;
      } else {
        options.reporter.done(label, `no entries to sync: ${balanceOnlyNote(account.provider)}`);
      }
      if (adapter.balance) {
        const balances = await readBalances(account, client, options.signal);
        await module.recordBalanceSnapshots(store.db, ref, balances);
        if (!adapter.entries) await module.recordSyncSuccess(store.db, ref);
        const said = balances.map((b) => `${b.balance} ${b.currency}`).join(", ");
        options.reporter.done(label, `balance ${said || "none reported"}`);
      }
    } catch (error) {
      if (options.signal.aborted) throw error;
      // syncAccount records its own failures; a balance that could not be read is one too.
      if (entriesDone || !adapter.entries) await module.recordSyncFailure(store.db, ref, error);
      failures.set(label, error);
    }
  }
  return failures;
}

async function syncEntries(
  module: StoreModule,
  store: Store,
  account: AccountConfig,
  client: unknown,
  options: SyncRunOptions,
): Promise<string> {
  const adapter = adapterOf(account.provider);
  const entries = adapter.entries!;
  const label = `${account.provider}/${account.name}`;
  const progress = options.reporter.progress;
  progress?.start(label);
  try {
    const result = await module.syncAccount(store, {
      provider: account.provider,
      account: account.name,
      signal: options.signal,
      ...(options.overlapMs !== undefined ? { overlapMs: options.overlapMs } : {}),
      firstSince: options.firstSince,
      openHours: adapter.openBucketHours,
      source: (window, sourceSignal) =>
        entries(client, {
          window,
          signal: sourceSignal,
          warn: (message: string) => {
            progress?.clear();
            options.reporter.warn(label, message);
          },
          reportTotal: (rows: number) => progress?.total(rows),
        }),
      onBatch: (done) => progress?.update(done.read),
    });
    progress?.finish(result.read);
    const history = adapter.defaultHistoryDays;
    const from = result.window.since
      ? ` from ${result.window.since.toISOString()}`
      : history
        ? `, the last ${history} days: the provider keeps no whole history (--since reads further back)`
        : ", the whole history";
    return `${result.inserted.toLocaleString("en-US")} new, ${result.revised} changed, ${result.vanished} vanished (${result.read.toLocaleString("en-US")} read${from})`;
  } catch (error) {
    progress?.clear();
    throw error;
  }
}

/**
 * For a provider that keeps only its last days: a warning, naming the days, when the account's
 * last successful sync (or, after failures, its latest stored entry) is older than that — rows of
 * those days are gone for good. Said before the sync, which cannot bring them back.
 */
function warnOfLostDays(
  reporter: SyncReporter,
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
  reporter.warn(
    label,
    `rows were lost: the provider keeps only its last ${retentionDays} days, and this account was last synced up to ${stored.slice(0, 10)}; ${lost.count} day${lost.count === 1 ? "" : "s"} (${days}, UTC) can no longer be read. Sync at least every ${retentionDays - 2} days (spendkit serve, or cron).`,
  );
}

/** The day after a stored entry's day: the first the store may lack. */
function nextDay(time: string): string {
  return new Date(Date.parse(time.slice(0, 10)) + 86_400_000).toISOString();
}
