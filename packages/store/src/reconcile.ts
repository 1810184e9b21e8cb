import { recordAuditEvent, resolveAuditEvents } from "./audit.js";
import { ledgerCurrency } from "./currency.js";
import type { Queryable } from "./database.js";
import { readEntriesById } from "./read.js";
import { type LiveBalance, recordBalanceSnapshots } from "./snapshots.js";
import type { Store } from "./store.js";
import type { AccountRef, StoredEntry } from "./types.js";

/**
 * Which checks apply to an account: data each provider's adapter carries (`reconcile` on
 * spendkit's ProviderAdapter), so that nothing here knows a provider.
 */
export interface ReconcileChecks {
  /** Each entry's balanceAfter is the previous one plus its amount; the last is the live balance. */
  runningBalance?: boolean | undefined;
  /** The live balance is the sum of the amounts of these kinds over the whole history. */
  balanceIsSumOf?: readonly string[] | undefined;
  /** Kinds that are adjustments by the provider's staff: each becomes an audit event. */
  adjustmentKinds?: readonly string[] | undefined;
}

/** A place where the numbers do not add up. */
export interface ReconcileBreak {
  check: "running_balance" | "last_balance" | "sum";
  /** The entry where it breaks (running balance), if any. */
  entryId?: string | undefined;
  /** The currency of both figures: the account's ledger currency. */
  currency: string;
  /** What the entries say, exact decimal. */
  expected: string;
  /** What was found, exact decimal; absent when the provider reports no balance in `currency`. */
  actual?: string | undefined;
  /** The rows around the break, in ledger order. */
  rows: StoredEntry[];
}

export interface ReconcileReport extends AccountRef {
  /**
   * The account's ledger currency (its entries' one currency): the live balance in it is what
   * the checks compare. Absent when the account has no entries: its balances are recorded and
   * nothing is checked.
   */
  currency?: string | undefined;
  /** The checks that ran, and those skipped with why. */
  ran: string[];
  skipped: { check: string; reason: string }[];
  /** The breaks found: of the running balance, only the first `maxBreaks`. */
  breaks: ReconcileBreak[];
  /** How many entries break the running balance, also beyond the ones in `breaks`. */
  runningBalanceBreaks: number;
  /** Adjustment entries newly recorded as audit events. */
  newAdjustments: number;
}

/** The order of a running balance: time, then the id in natural order (numeric ids by value). */
const LEDGER_ORDER = "time, length(id), id";

/**
 * Running-balance breaks reported with their rows and recorded as audit events, by default: the
 * rest are counted (one more event says how many). A provider whose balance after means
 * something else breaks at every row; reporting each would cost time and memory per row.
 */
export const DEFAULT_MAX_BREAKS = 100;

/** The subject of the one event that counts the breaks beyond the recorded ones. */
const MORE_BREAKS = "more";

/**
 * Checks an account's stored entries (vanished ones left out) against each other and against
 * the provider's balances now (`liveBalances`, one per currency; absent: those checks are
 * skipped). Every balance read is kept as a balance snapshot, all taken at one moment. The
 * checks compare the balance in the account's ledger currency, the one its entries are in; the
 * provider reporting none in it is a break of `last_balance` or `sum`. An account with no
 * entries has nothing to check. All arithmetic is NUMERIC in SQL: exact. Each break is recorded
 * as an audit event (one open event per place), and events of earlier breaks that no longer
 * show are resolved.
 */
export async function reconcileAccount(
  store: Store,
  account: AccountRef,
  checks: ReconcileChecks,
  liveBalances: readonly LiveBalance[] | undefined,
  options: { maxBreaks?: number } = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    ...account,
    ran: [],
    skipped: [],
    breaks: [],
    runningBalanceBreaks: 0,
    newAdjustments: 0,
  };
  const db = store.db;
  if (liveBalances !== undefined) await recordBalanceSnapshots(db, account, liveBalances);
  const currency = await ledgerCurrency(db, account);
  if (currency === undefined) return report;
  report.currency = currency;
  // undefined: no balance read at all (nothing to compare), or none in the ledger's currency.
  const live = liveBalances?.find((b) => b.currency === currency)?.balance;
  if (checks.runningBalance) {
    report.ran.push("running_balance");
    const running = await runningBalanceBreaks(
      store,
      account,
      currency,
      options.maxBreaks ?? DEFAULT_MAX_BREAKS,
    );
    report.breaks.push(...running.breaks);
    report.runningBalanceBreaks = running.total;
    if (liveBalances !== undefined) {
      report.ran.push("last_balance");
      const last = await lastBalanceBreak(store, account, currency, live);
      if (last) report.breaks.push(last);
    }
  }
  if (checks.balanceIsSumOf && liveBalances !== undefined) {
    // A missing balance is a break whatever the history holds; a sum needs all of it.
    if (live === undefined || (await historyComplete(db, account))) {
      report.ran.push("sum");
      const sum = await sumBreak(db, account, currency, checks.balanceIsSumOf, live);
      if (sum) report.breaks.push(sum);
    } else {
      report.skipped.push({
        check: "sum",
        reason: "no sync of the whole history has completed yet",
      });
    }
  }
  if (checks.adjustmentKinds?.length) {
    report.newAdjustments = await recordAdjustments(db, account, checks.adjustmentKinds);
  }
  await recordBreaks(db, account, report);
  return report;
}

/**
 * One ordered pass over the account's entries (the index `entries_balance_order` is in this
 * order): the first `max` breaks with the ids around them, and how many there are in all.
 * Their rows are then read in one query.
 */
async function runningBalanceBreaks(
  store: Store,
  account: AccountRef,
  currency: string,
  max: number,
): Promise<{ breaks: ReconcileBreak[]; total: number }> {
  const rows = await store.db.query<{
    id: string;
    previous_id: string | null;
    next_id: string | null;
    expected: string;
    actual: string;
    total: number;
  }>(
    `SELECT id, previous_id, next_id, expected::text AS expected, balance_after::text AS actual,
            count(*) OVER ()::int AS total
     FROM (
       SELECT id, balance_after,
              lag(balance_after) OVER w + amount AS expected,
              lag(id) OVER w AS previous_id, lead(id) OVER w AS next_id,
              row_number() OVER w AS position
       FROM entries
       WHERE provider = $1 AND account = $2 AND vanished_at IS NULL
         AND balance_after IS NOT NULL
       WINDOW w AS (ORDER BY ${LEDGER_ORDER})
     ) checked
     WHERE expected IS NOT NULL AND expected <> balance_after
     ORDER BY position
     LIMIT $3`,
    [account.provider, account.account, max],
  );
  const around = (row: (typeof rows)[number]) =>
    [row.previous_id, row.id, row.next_id].filter((id): id is string => id !== null);
  const stored = new Map(
    (await readEntriesById(store, account, [...new Set(rows.flatMap(around))])).map((e) => [
      e.id,
      e,
    ]),
  );
  return {
    total: rows[0]?.total ?? 0,
    breaks: rows.map((row) => ({
      check: "running_balance",
      entryId: row.id,
      currency,
      expected: row.expected,
      actual: row.actual,
      rows: around(row).flatMap((id) => stored.get(id) ?? []),
    })),
  };
}

/**
 * The last balance after against the live balance (`undefined`: the provider reports none in
 * the ledger's currency, which differs from any). No entry with a balance after: nothing to
 * compare.
 */
async function lastBalanceBreak(
  store: Store,
  account: AccountRef,
  currency: string,
  live: string | undefined,
): Promise<ReconcileBreak | undefined> {
  const [row] = await store.db.query<{ id: string; last: string; differs: boolean }>(
    `SELECT id, balance_after::text AS last,
            balance_after IS DISTINCT FROM $3::numeric AS differs
     FROM entries
     WHERE provider = $1 AND account = $2 AND vanished_at IS NULL AND balance_after IS NOT NULL
     ORDER BY time DESC, length(id) DESC, id DESC LIMIT 1`,
    [account.provider, account.account, live],
  );
  if (!row?.differs) return undefined;
  return {
    check: "last_balance",
    entryId: row.id,
    currency,
    expected: row.last,
    actual: live,
    rows: await readEntriesById(store, account, [row.id]),
  };
}

/**
 * The sum from the daily rollups (`entry_days`): it costs the account's days, not its rows.
 * `live` undefined (no balance in the ledger's currency) differs from any sum.
 */
async function sumBreak(
  db: Queryable,
  account: AccountRef,
  currency: string,
  kinds: readonly string[],
  live: string | undefined,
): Promise<ReconcileBreak | undefined> {
  const [row] = await db.query<{ sum: string; differs: boolean }>(
    `SELECT coalesce(sum(amount), 0)::text AS sum,
            coalesce(sum(amount), 0) IS DISTINCT FROM $4::numeric AS differs
     FROM entry_days
     WHERE provider = $1 AND account = $2 AND kind = ANY ($3::text[])`,
    [account.provider, account.account, [...kinds], live],
  );
  if (!row?.differs) return undefined;
  return { check: "sum", currency, expected: row.sum, actual: live, rows: [] };
}

/** A sum over the whole history needs a sync that read it to the end at least once. */
async function historyComplete(db: Queryable, account: AccountRef): Promise<boolean> {
  const [row] = await db.query<{ complete: boolean }>(
    "SELECT last_success IS NOT NULL AS complete FROM sync_state WHERE provider = $1 AND account = $2",
    [account.provider, account.account],
  );
  return row?.complete === true;
}

/** One `adjustment` event per adjustment entry, ever (also once an earlier one was resolved). */
async function recordAdjustments(
  db: Queryable,
  account: AccountRef,
  kinds: readonly string[],
): Promise<number> {
  const rows = await db.query(
    `INSERT INTO audit_events (kind, provider, account, entry_id, subject, detail, created_at)
     SELECT 'adjustment', e.provider, e.account, e.id, e.id,
            jsonb_build_object('time', iso_utc(e.time), 'kind', e.kind, 'amount', e.amount::text,
                               'description', e.description),
            now()
     FROM entries e
     WHERE e.provider = $1 AND e.account = $2 AND e.kind = ANY ($3::text[])
       AND NOT EXISTS (SELECT 1 FROM audit_events a
                       WHERE a.kind = 'adjustment' AND a.provider = e.provider
                         AND a.account = e.account AND a.subject = e.id)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [account.provider, account.account, [...kinds]],
  );
  return rows.length;
}

async function recordBreaks(db: Queryable, account: AccountRef, report: ReconcileReport) {
  const breaks = report.breaks.filter((b) => b.check === "running_balance");
  const mismatches = report.breaks.filter((b) => b.check !== "running_balance");
  for (const b of breaks) {
    await recordAuditEvent(db, {
      ...account,
      kind: "balance_break",
      entryId: b.entryId,
      subject: b.entryId!,
      detail: {
        currency: b.currency,
        expected: b.expected,
        actual: b.actual,
        rows: b.rows.map((r) => r.id),
      },
    });
  }
  for (const b of mismatches) {
    await recordAuditEvent(db, {
      ...account,
      kind: "balance_mismatch",
      entryId: b.entryId,
      subject: b.check,
      detail: {
        check: b.check,
        currency: b.currency,
        entries: b.expected,
        provider: b.actual ?? null,
        ...(b.actual === undefined
          ? { message: `the provider reports no balance in ${b.currency}` }
          : {}),
      },
    });
  }
  const more = report.runningBalanceBreaks - breaks.length;
  if (more > 0) {
    await db.query(
      `INSERT INTO audit_events (kind, provider, account, subject, detail, created_at)
       VALUES ('balance_break', $1, $2, $3, $4::jsonb, now())
       ON CONFLICT (kind, provider, account, subject) WHERE resolved_at IS NULL
       DO UPDATE SET detail = EXCLUDED.detail`,
      [account.provider, account.account, MORE_BREAKS, JSON.stringify({ more })],
    );
  }
  if (report.ran.includes("running_balance")) {
    await resolveAuditEvents(db, account, "balance_break", [
      ...breaks.map((b) => b.entryId!),
      ...(more > 0 ? [MORE_BREAKS] : []),
    ]);
  }
  await resolveAuditEvents(
    db,
    account,
    "balance_mismatch",
    [...mismatches.map((b) => b.check), ...report.skipped.map((s) => s.check)].concat(
      ["last_balance", "sum"].filter((check) => !report.ran.includes(check)),
    ),
  );
}
