import { type AuditEvent, listAuditEvents } from "./audit.js";
import type { Queryable } from "./database.js";
import type { ReconcileChecks } from "./reconcile.js";
import { type BalanceSnapshot, listBalanceSnapshots } from "./snapshots.js";
import type { Store } from "./store.js";
import type { AccountRef } from "./types.js";

export interface ReportQuery {
  /** `[since, until)`; no `since`: from the day of the first stored entry. */
  window: { since?: Date | undefined; until: Date };
  providers?: readonly string[] | undefined;
  accounts?: readonly string[] | undefined;
  /** Exactly which (provider, account) pairs, where the two lists above are not precise enough. */
  include?: ((ref: AccountRef) => boolean) | undefined;
  /**
   * Which kinds make up each provider's balance and which are staff adjustments: the
   * adapters' `reconcile` data, so that nothing here knows a provider.
   */
  checks: (provider: string) => ReconcileChecks | undefined;
}

/** Where an account's balance line comes from, in this order of preference. */
export type BalanceSource =
  /** The balance after each entry, as the provider reports it on its records. */
  | "balanceAfter"
  /** The running sum of the kinds the adapter says make up the balance (`balanceIsSumOf`). */
  | "sum"
  /**
   * Neither, or a currency the account has no entries in: the providers' balances as
   * `reconcile` read them.
   */
  | "snapshots";

/** A point of a balance line: exact decimal text. */
export interface ReportPoint {
  time: string;
  balance: string;
}

/**
 * One account's figures in one currency over the window; amounts are exact decimal text as
 * summed, all in `currency`. An account with entries has one in its ledger currency (the one
 * its entries are in) with every figure; each other currency it has balance snapshots in (every
 * currency, for an account with no entries) has one of its own, with those snapshots only.
 * Nothing is ever summed across currencies.
 */
export interface AccountReport extends AccountRef {
  /** ISO 4217, upper case. */
  currency: string;
  /**
   * Whether `currency` is the account's ledger currency: its entries, spend, top-ups,
   * adjustments and audit events are here. False: only the provider's balances in `currency`
   * (source `snapshots`).
   */
  ledger: boolean;
  /** The last sync that read its window to the end, if any. */
  lastSuccess?: string | undefined;
  source: BalanceSource;
  /** The balance at the window's start, then the last one of each day with entries. */
  balances: ReportPoint[];
  /** Per UTC day: the spend (positive when money went out), by date. */
  dailySpend: { date: string; amount: string }[];
  /** Per model over the window, by model. */
  spendByModel: { model: string; amount: string }[];
  /** Per project (an OpenAI project, an Anthropic workspace) over the window, where entries name one. */
  spendByProject: { project: string; amount: string }[];
  /** Per API key id over the window, where entries name one. */
  spendByKey: { apiKey: string; amount: string }[];
  /**
   * The provider's balance in `currency` at the latest snapshot, and (ledger currency only) the
   * ledger's just before it.
   */
  latestSnapshot?: BalanceSnapshot | undefined;
  ledgerAtSnapshot?: string | undefined;
}

/** A top-up or a staff adjustment, listed with the account it belongs to. */
export interface ReportRow extends AccountRef {
  /** The entry's currency: its account's ledger currency. */
  currency: string;
  time: string;
  amount: string;
  /** A top-up's reference, an adjustment's description. */
  note?: string | undefined;
}

/**
 * What a spend report shows, computed by the database: every figure is a GROUP BY or an
 * ordered index lookup over the window (and, for a balance at a moment, the daily rollups of the
 * days before it plus the rows of its own day), never a replay of the history.
 */
export interface ReportFigures {
  window: { since: string; until: string };
  /** By provider, account and currency. */
  accounts: AccountReport[];
  topUps: ReportRow[];
  adjustments: ReportRow[];
  /** Open audit events of the accounts listed. */
  auditEvents: AuditEvent[];
}

/** The accounts with entries as one JSON parameter, with the kinds the checks name. */
interface AccountParam extends AccountRef {
  /** The ledger currency, for the snapshot lookups here (the SQL needs none). */
  currency: string;
  sum_kinds: string[];
  adjustment_kinds: string[];
}

const ACCOUNTS = `jsonb_to_recordset($1::jsonb)
  AS a(provider text, account text, sum_kinds text[], adjustment_kinds text[])`;

/** The entries of the accounts in the window `[$2, $3)` that are still listed. */
const WINDOW = `FROM ${ACCOUNTS}
  JOIN entries e ON e.provider = a.provider AND e.account = a.account
   AND e.time >= $2::timestamptz AND e.time < $3::timestamptz AND e.vanished_at IS NULL`;

/** Spend is every kind that is neither a top-up nor a staff adjustment, negated. */
const SPEND = "e.kind <> 'topup' AND NOT (e.kind = ANY (a.adjustment_kinds))";

const DAY = "(e.time AT TIME ZONE 'UTC')::date";

/** The ISO text of a moment as the ledger writes it. */
const iso = (date: Date) => date.toISOString();

/**
 * The report's figures for the accounts the store knows, filtered by provider and account name,
 * per account and currency (see AccountReport): those with entries, and those whose balances
 * `reconcile` read (an account synced without any entry and never reconciled has no currency,
 * and no figure to show). Every entry of the window lands in exactly one of three places, by
 * kind: `topup` in top-ups; the adjustment kinds in adjustments, signed as in the ledger;
 * everything else (usage, refunds, renewals, invoices) in spend, negated — a refund lowers the
 * day's spend. Spend by model covers the spend entries that name a model. The SQL groups by
 * account alone: an account's entries are all in its ledger currency.
 */
export async function reportFigures(store: Store, query: ReportQuery): Promise<ReportFigures> {
  const db = store.db;
  const selected = (ref: AccountRef) =>
    (!query.providers || query.providers.includes(ref.provider)) &&
    (!query.accounts || query.accounts.includes(ref.account)) &&
    (!query.include || query.include(ref));
  const snapshots = (await listBalanceSnapshots(store, query)).filter(selected);
  const synced = (
    await db.query<{
      provider: string;
      account: string;
      currency: string | null;
      last_success: string | null;
    }>("SELECT provider, account, currency, iso_utc(last_success) AS last_success FROM sync_state")
  ).filter(selected);
  const key = (row: AccountRef) => `${row.provider}/${row.account}`;
  const inCurrency = (row: AccountRef & { currency: string }) => `${key(row)}/${row.currency}`;
  const lastSuccess = new Map(synced.map((s) => [key(s), s.last_success ?? undefined]));
  // The accounts with entries, in their ledger currency (recorded with their first entry).
  const params: AccountParam[] = synced.flatMap((s) =>
    s.currency === null
      ? []
      : [
          {
            provider: s.provider,
            account: s.account,
            currency: s.currency,
            sum_kinds: [...(query.checks(s.provider)?.balanceIsSumOf ?? [])],
            adjustment_kinds: [...(query.checks(s.provider)?.adjustmentKinds ?? [])],
          },
        ],
  );
  // One report per account and currency: those, then each other currency the providers'
  // balances were read in.
  const refs = new Map<string, AccountRef & { currency: string; ledger: boolean }>();
  const add = (ref: AccountRef & { currency: string }, ledger: boolean) => {
    if (refs.has(inCurrency(ref))) return;
    const { provider, account, currency } = ref;
    refs.set(inCurrency(ref), { provider, account, currency, ledger });
  };
  for (const p of params) add(p, true);
  for (const s of snapshots) add(s, false);
  const known = new Set([...refs.values()].map(key));
  const auditEvents = (await listAuditEvents(store)).filter((e) => known.has(key(e)));
  const accounts = JSON.stringify(params);
  const until = query.window.until;
  const since =
    query.window.since ??
    (await firstDay(db, accounts, until)) ??
    new Date(until.getTime() - 30 * 86_400_000);
  const window = [accounts, iso(since), iso(until)];

  const group = <Row extends AccountRef>(rows: Row[]) => {
    const byAccount = new Map<string, Row[]>();
    for (const row of rows) {
      const list = byAccount.get(key(row));
      if (list) list.push(row);
      else byAccount.set(key(row), [row]);
    }
    return (ref: AccountRef) => byAccount.get(key(ref)) ?? [];
  };
  const dailySpend = group(
    await db.query<AccountRef & { date: string; amount: string }>(
      `SELECT a.provider, a.account, ${DAY}::text AS date, (-sum(e.amount))::text AS amount
       ${WINDOW} WHERE ${SPEND}
       GROUP BY a.provider, a.account, ${DAY} ORDER BY ${DAY}`,
      window,
    ),
  );
  // Spend by model, by project and by API key in one pass over the window: one grouping set
  // each, every row NULL in the columns its set does not group by, so that ordering by the
  // three orders each set by its own.
  const attribution = await db.query<
    AccountRef & {
      model: string | null;
      project: string | null;
      api_key: string | null;
      amount: string;
    }
  >(
    `SELECT a.provider, a.account, e.model, e.project, e.api_key, (-sum(e.amount))::text AS amount
     ${WINDOW} WHERE ${SPEND}
       AND (e.model IS NOT NULL OR e.project IS NOT NULL OR e.api_key IS NOT NULL)
     GROUP BY GROUPING SETS ((a.provider, a.account, e.model), (a.provider, a.account, e.project),
                             (a.provider, a.account, e.api_key))
     ORDER BY e.model, e.project, e.api_key`,
    window,
  );
  const named = (column: "model" | "project" | "api_key") =>
    group(
      attribution.flatMap((row) => (row[column] === null ? [] : [{ ...row, name: row[column] }])),
    );
  const spendByModel = named("model");
  const spendByProject = named("project");
  const spendByKey = named("api_key");
  // Top-ups and adjustments in one pass, in ledger order.
  const listed = await db.query<
    AccountRef & {
      currency: string;
      time: string;
      amount: string;
      note: string | null;
      topup: boolean;
      adjustment: boolean;
    }
  >(
    `SELECT a.provider, a.account, e.currency, iso_utc(e.time) AS time, e.amount::text AS amount,
            CASE WHEN e.kind = 'topup' THEN e.reference ELSE e.description END AS note,
            e.kind = 'topup' AS topup, e.kind = ANY (a.adjustment_kinds) AS adjustment
     ${WINDOW} WHERE e.kind = 'topup' OR e.kind = ANY (a.adjustment_kinds)
     ORDER BY e.time, e.provider, e.account, e.id`,
    window,
  );
  const topUps = listed.filter((row) => row.topup);
  const adjustments = listed.filter((row) => row.adjustment);
  const withAfter = new Set(
    (
      await db.query<AccountRef>(
        `SELECT a.provider, a.account FROM ${ACCOUNTS}
         WHERE EXISTS (SELECT 1 FROM entries e
                       WHERE e.provider = a.provider AND e.account = a.account
                         AND e.balance_after IS NOT NULL AND e.vanished_at IS NULL)`,
        [accounts],
      )
    ).map(key),
  );
  const sourceOf = (ref: AccountRef): BalanceSource =>
    withAfter.has(key(ref))
      ? "balanceAfter"
      : query.checks(ref.provider)?.balanceIsSumOf
        ? "sum"
        : "snapshots";
  // The last balance after of each day with entries: one lookup per day in the balance-order
  // index, the days from the daily rollups — not a sort of the window's rows.
  const afterByDay = group(
    await db.query<AccountRef & { time: string; balance: string }>(
      `SELECT a.provider, a.account, iso_utc(b.time) AS time, b.balance
       FROM ${ACCOUNTS}
       CROSS JOIN LATERAL (
         SELECT DISTINCT d.day FROM entry_days d
         WHERE d.provider = a.provider AND d.account = a.account AND d.entries > 0
           AND d.day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
           AND d.day <= ($3::timestamptz AT TIME ZONE 'UTC')::date) days
       CROSS JOIN LATERAL (
         SELECT e.time, e.balance_after::text AS balance FROM entries e
         WHERE e.provider = a.provider AND e.account = a.account
           AND e.balance_after IS NOT NULL AND e.vanished_at IS NULL
           AND e.time >= greatest($2::timestamptz, days.day::timestamp AT TIME ZONE 'UTC')
           AND e.time < least($3::timestamptz, (days.day + 1)::timestamp AT TIME ZONE 'UTC')
         ORDER BY e.time DESC, length(e.id) DESC, e.id DESC LIMIT 1) b
       ORDER BY days.day`,
      [
        JSON.stringify(params.filter((p) => sourceOf(p) === "balanceAfter")),
        iso(since),
        iso(until),
      ],
    ),
  );
  const opening = await balancesAt(
    db,
    params.map((p) => ({ ...p, at: iso(since) })),
  );
  // The running sum at the last entry of each day: the opening sum plus the days so far.
  const sumByDay = group(
    await db.query<AccountRef & ReportPoint>(
      `SELECT provider, account, time,
              (opening + sum(amount) OVER (PARTITION BY provider, account ORDER BY day))::text
                AS balance
       FROM (SELECT a.provider, a.account, a.opening, ${DAY} AS day,
                    iso_utc(max(e.time)) AS time, sum(e.amount) AS amount
             FROM jsonb_to_recordset($1::jsonb)
               AS a(provider text, account text, sum_kinds text[], opening numeric)
             JOIN entries e ON e.provider = a.provider AND e.account = a.account
              AND e.time >= $2::timestamptz AND e.time < $3::timestamptz
              AND e.vanished_at IS NULL AND e.kind = ANY (a.sum_kinds)
             GROUP BY a.provider, a.account, a.opening, ${DAY}) days
       ORDER BY day`,
      [
        JSON.stringify(
          params
            .filter((p) => sourceOf(p) === "sum")
            .map((p) => ({ ...p, opening: opening.get(key(p))?.sum ?? "0" })),
        ),
        iso(since),
        iso(until),
      ],
    ),
  );
  // Snapshots are listed oldest first per account and currency: the last one set wins.
  const latestSnapshot = new Map(snapshots.map((s) => [inCurrency(s), s]));
  const atSnapshot = await balancesAt(
    db,
    params.flatMap((p) => {
      const snapshot = latestSnapshot.get(inCurrency(p));
      return snapshot ? [{ ...p, at: snapshot.takenAt }] : [];
    }),
  );
  const snapshotPoints = (ref: AccountRef & { currency: string }) =>
    snapshots
      .filter((s) => inCurrency(s) === inCurrency(ref))
      .filter((s) => s.takenAt >= iso(since) && s.takenAt < iso(until))
      .map((s) => ({ time: s.takenAt, balance: s.balance }));

  const reports = [...refs.values()].map((ref): AccountReport => {
    const common = {
      ...ref,
      lastSuccess: lastSuccess.get(key(ref)),
      latestSnapshot: latestSnapshot.get(inCurrency(ref)),
    };
    // A currency the account has no entries in: the provider's balances are all there is.
    if (!ref.ledger) {
      return {
        ...common,
        source: "snapshots",
        balances: snapshotPoints(ref),
        dailySpend: [],
        spendByModel: [],
        spendByProject: [],
        spendByKey: [],
      };
    }
    const id = key(ref);
    const source = sourceOf(ref);
    const start = opening.get(id);
    const atLatest = atSnapshot.get(id);
    const balances: ReportPoint[] =
      source === "balanceAfter"
        ? [
            ...(start?.after ? [{ time: iso(since), balance: start.after }] : []),
            ...afterByDay(ref).map((p) => ({ time: p.time, balance: p.balance })),
          ]
        : source === "sum"
          ? [
              // A sum of no entries yet is no balance yet.
              ...(start?.entries ? [{ time: iso(since), balance: start.sum }] : []),
              ...sumByDay(ref).map((p) => ({ time: p.time, balance: p.balance })),
            ]
          : snapshotPoints(ref);
    const ledgerAtSnapshot =
      source === "balanceAfter"
        ? (atLatest?.after ?? undefined)
        : source === "sum"
          ? (atLatest?.sum ?? undefined)
          : undefined;
    return {
      ...common,
      source,
      balances,
      dailySpend: dailySpend(ref).map(({ date, amount }) => ({ date, amount })),
      spendByModel: spendByModel(ref).map(({ name, amount }) => ({ model: name, amount })),
      spendByProject: spendByProject(ref).map(({ name, amount }) => ({ project: name, amount })),
      spendByKey: spendByKey(ref).map(({ name, amount }) => ({ apiKey: name, amount })),
      ledgerAtSnapshot,
    };
  });

  return {
    window: { since: iso(since), until: iso(until) },
    accounts: reports.sort(
      (a, b) =>
        compare(a.provider, b.provider) ||
        compare(a.account, b.account) ||
        compare(a.currency, b.currency),
    ),
    topUps: topUps.map(toRow),
    adjustments: adjustments.map(toRow),
    auditEvents,
  };
}

/** Code point order: the same whatever the database's or the process's locale. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function toRow(
  row: AccountRef & { currency: string; time: string; amount: string; note: string | null },
): ReportRow {
  return {
    provider: row.provider,
    account: row.account,
    currency: row.currency,
    time: row.time,
    amount: row.amount,
    ...(row.note === null ? {} : { note: row.note }),
  };
}

/** The first stored day of the accounts (before `until`), from the ledger-order index. */
async function firstDay(db: Queryable, accounts: string, until: Date): Promise<Date | undefined> {
  const [row] = await db.query<{ day: string | null }>(
    `SELECT iso_utc(date_trunc('day', min(e.time) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS day
     FROM ${ACCOUNTS}
     CROSS JOIN LATERAL (SELECT time FROM entries e
                         WHERE e.provider = a.provider AND e.account = a.account
                           AND e.vanished_at IS NULL AND e.time < $2::timestamptz
                         ORDER BY e.time LIMIT 1) e`,
    [accounts, iso(until)],
  );
  return row?.day ? new Date(row.day) : undefined;
}

/** An account's balance at a moment, by each source. */
interface Balance {
  /** The last balance after before the moment, in running-balance order. */
  after: string | null;
  /** The sum of the balance kinds before the moment, and how many entries it adds. */
  sum: string;
  entries: number;
}

/**
 * Each account's balance just before its moment `at`: the last balance after from the index in
 * running-balance order, and the sum of its balance kinds as the daily rollups of the days
 * before plus the rows of the moment's own day.
 */
async function balancesAt(
  db: Queryable,
  accounts: readonly (AccountParam & { at: string })[],
): Promise<Map<string, Balance>> {
  if (accounts.length === 0) return new Map();
  const rows = await db.query<AccountRef & Balance>(
    `SELECT a.provider, a.account,
            (SELECT e.balance_after::text FROM entries e
             WHERE e.provider = a.provider AND e.account = a.account
               AND e.balance_after IS NOT NULL AND e.vanished_at IS NULL AND e.time < a.at
             ORDER BY e.time DESC, length(e.id) DESC, e.id DESC LIMIT 1) AS after,
            (coalesce(d.amount, 0) + coalesce(r.amount, 0))::text AS sum,
            (coalesce(d.entries, 0) + coalesce(r.entries, 0))::int AS entries
     FROM jsonb_to_recordset($1::jsonb)
       AS a(provider text, account text, sum_kinds text[], at timestamptz)
     CROSS JOIN LATERAL (
       SELECT sum(amount) AS amount, sum(entries) AS entries FROM entry_days d
       WHERE d.provider = a.provider AND d.account = a.account AND d.kind = ANY (a.sum_kinds)
         AND d.day < (a.at AT TIME ZONE 'UTC')::date) d
     CROSS JOIN LATERAL (
       SELECT sum(amount) AS amount, count(*) AS entries FROM entries e
       WHERE e.provider = a.provider AND e.account = a.account AND e.kind = ANY (a.sum_kinds)
         AND e.vanished_at IS NULL AND e.time < a.at
         AND e.time >= date_trunc('day', a.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') r`,
    [JSON.stringify(accounts)],
  );
  return new Map(rows.map((row) => [`${row.provider}/${row.account}`, row]));
}
