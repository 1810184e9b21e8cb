import type { Reconciliation, ReportData } from "@spendkit/report";
import type { AuditEvent, BalanceSnapshot, StoredEntry } from "@spendkit/store";
import { adapterOf, isProviderName, providerNames } from "../adapters/index.js";
import { formatMicros, parseDecimal } from "../money.js";
import { compareText } from "../time.js";

/** An account the report covers, as the store knows it (`accountStatus`). */
export interface ReportAccountInput {
  provider: string;
  account: string;
  /** The last sync that read its window to the end, if any. */
  lastSuccess?: string | undefined;
}

export interface ReportInput {
  /** `[since, until)`; no `since`: from the first stored entry. */
  window: { since?: Date | undefined; until: Date };
  now: Date;
  accounts: readonly ReportAccountInput[];
  /**
   * The stored entries of these accounts in ledger order, **from the beginning of the history**
   * to at least `until` and past each account's latest snapshot: the balance at the window's
   * start, and the ledger's balance when the provider's was read, need what came before.
   */
  entries: AsyncIterable<readonly StoredEntry[]>;
  /** Open audit events of these accounts. */
  auditEvents: readonly AuditEvent[];
  /** Balance snapshots of these accounts, per account oldest first. */
  snapshots: readonly BalanceSnapshot[];
}

/** Where an account's balance line comes from, in this order of preference. */
type BalanceSource =
  /** The balance after each entry, as the provider reports it on its records. */
  | "balanceAfter"
  /** The running sum of the kinds the adapter says make up the balance (`balanceIsSumOf`). */
  | "sum"
  /** Neither: the providers' balances as `spendkit reconcile` read them. */
  | "snapshots";

interface Point {
  time: string;
  micros: bigint;
}

/** What the ledger says an account's balance is, as it is read in order. */
interface Running {
  /** The latest balanceAfter, and the entry it came from (for ties at one time). */
  after?: { micros: bigint; time: string; id: string };
  /** The running sum of the balance kinds; undefined before the first of them. */
  sum?: bigint;
}

const DAY_OF = (time: string) => time.slice(0, 10);

/** The order of a running balance at one timestamp: ids in natural order, as reconcile has it. */
function laterId(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

/** One account's aggregates: bounded by days, models, top-ups and adjustments, never by rows. */
class AccountState {
  readonly id: string;
  readonly sumKinds: ReadonlySet<string> | undefined;
  readonly adjustmentKinds: ReadonlySet<string>;
  readonly running: Running = {};
  /** The running values just before the window, and just before the latest snapshot. */
  opening?: Running;
  atSnapshot?: Running;
  /** The latest balance point of each UTC day, per source. */
  readonly afterByDay = new Map<string, Point>();
  readonly sumByDay = new Map<string, Point>();
  readonly spendByDay = new Map<string, bigint>();
  readonly spendByModel = new Map<string, bigint>();

  constructor(
    readonly ref: ReportAccountInput,
    readonly lastSnapshot: BalanceSnapshot | undefined,
  ) {
    this.id = `${ref.provider}/${ref.account}`;
    const checks = isProviderName(ref.provider) ? adapterOf(ref.provider).reconcile : undefined;
    this.sumKinds = checks?.balanceIsSumOf ? new Set(checks.balanceIsSumOf) : undefined;
    this.adjustmentKinds = new Set(checks?.adjustmentKinds ?? []);
  }

  /** A provider that reports balanceAfter is its own best witness; else the sum; else snapshots. */
  get source(): BalanceSource {
    if (this.running.after) return "balanceAfter";
    return this.sumKinds ? "sum" : "snapshots";
  }

  /** Applies an entry to the running balance. */
  apply(entry: StoredEntry): void {
    if (entry.balanceAfter !== undefined) {
      const previous = this.running.after;
      if (
        !previous ||
        entry.time > previous.time ||
        (entry.time === previous.time && laterId(entry.id, previous.id))
      ) {
        this.running.after = {
          micros: parseDecimal(entry.balanceAfter),
          time: entry.time,
          id: entry.id,
        };
      }
    }
    if (this.sumKinds?.has(entry.kind)) {
      this.running.sum = (this.running.sum ?? 0n) + parseDecimal(entry.amount);
    }
  }

  /** The ledger's balance by the account's source, if it has one. */
  static balanceOf(running: Running | undefined, source: BalanceSource): bigint | undefined {
    if (source === "balanceAfter") return running?.after?.micros;
    return source === "sum" ? running?.sum : undefined;
  }
}

/**
 * Builds the report's data from the store in one pass over its entries, aggregating as they
 * come: memory grows with accounts × days and models, and with the number of top-ups and
 * adjustments (the report lists each), never with the number of rows.
 *
 * Every entry lands in exactly one of three places, by kind: `topup` in top-ups; the kinds the
 * provider's adapter names as staff adjustments (`reconcile.adjustmentKinds`) in adjustments,
 * signed as in the ledger; everything else (usage, refunds, renewals, invoices) in spend,
 * negated — the ledger counts money out as negative, the report as positive, so a refund lowers
 * the day's spend. Spend by model covers the spend entries that name a model.
 */
export async function buildReportData(input: ReportInput): Promise<ReportData> {
  const until = input.window.until.getTime();
  let since = input.window.since?.getTime();
  const latestSnapshot = new Map<string, BalanceSnapshot>();
  for (const snapshot of input.snapshots) {
    latestSnapshot.set(`${snapshot.provider}/${snapshot.account}`, snapshot);
  }
  const states = new Map<string, AccountState>();
  const stateOf = (ref: ReportAccountInput) => {
    const id = `${ref.provider}/${ref.account}`;
    let state = states.get(id);
    if (!state) {
      state = new AccountState(ref, latestSnapshot.get(id));
      states.set(id, state);
    }
    return state;
  };
  // Every account the report mentions is known before the pass: the list is built from it.
  for (const account of [...input.accounts, ...input.auditEvents, ...input.snapshots]) {
    stateOf(account);
  }

  const topUps: ReportData["topUps"] = [];
  const adjustments: ReportData["adjustments"] = [];
  for await (const batch of input.entries) {
    for (const entry of batch) {
      const state = stateOf(entry);
      const time = Date.parse(entry.time);
      // Without --since the window starts on the day of the first entry.
      since ??= Date.parse(`${DAY_OF(entry.time)}T00:00:00Z`);
      if (!state.opening && time >= since) state.opening = { ...state.running };
      const snapshot = state.lastSnapshot;
      if (snapshot && !state.atSnapshot && entry.time >= snapshot.takenAt) {
        state.atSnapshot = { ...state.running };
      }
      state.apply(entry);
      if (time < since || time >= until) continue;

      const day = DAY_OF(entry.time);
      if (entry.balanceAfter !== undefined && state.running.after?.id === entry.id) {
        state.afterByDay.set(day, { time: entry.time, micros: state.running.after.micros });
      }
      if (state.sumKinds?.has(entry.kind)) {
        state.sumByDay.set(day, { time: entry.time, micros: state.running.sum! });
      }
      const micros = parseDecimal(entry.amount);
      const amount = formatMicros(micros);
      if (entry.kind === "topup") {
        topUps.push({
          account: state.id,
          time: entry.time,
          amount,
          ...(entry.reference === undefined ? {} : { reference: entry.reference }),
        });
      } else if (state.adjustmentKinds.has(entry.kind)) {
        adjustments.push({
          account: state.id,
          time: entry.time,
          amount,
          ...(entry.description === undefined ? {} : { description: entry.description }),
        });
      } else {
        state.spendByDay.set(day, (state.spendByDay.get(day) ?? 0n) - micros);
        if (entry.model !== undefined) {
          state.spendByModel.set(entry.model, (state.spendByModel.get(entry.model) ?? 0n) - micros);
        }
      }
    }
  }
  // No --since and no entry: the 30 days before the end, so that the window is never empty.
  since ??= until - 30 * 86_400_000;

  const accounts = [...states.values()].sort(
    (a, b) =>
      providerRank(a.ref.provider) - providerRank(b.ref.provider) ||
      compareText(a.ref.provider, b.ref.provider) ||
      compareText(a.ref.account, b.ref.account),
  );
  const providers = [...new Set(accounts.map((a) => a.ref.provider))];
  const windowSince = new Date(since).toISOString();
  return {
    window: { since: windowSince, until: new Date(until).toISOString() },
    generatedAt: input.now.toISOString(),
    providers: providers.map((id) => ({
      id,
      name: isProviderName(id) ? adapterOf(id).displayName : id,
    })),
    accounts: accounts.map((a) => ({ id: a.id, provider: a.ref.provider, name: a.ref.account })),
    dailySpend: accounts
      .flatMap((a) =>
        [...a.spendByDay].map(([date, micros]) => ({
          date,
          account: a.id,
          amount: formatMicros(micros),
        })),
      )
      .sort((x, y) => compareText(x.date, y.date)),
    balances: accounts.flatMap((a) => {
      const points = balancePoints(a, windowSince, since, until, input.snapshots);
      return points.length
        ? [
            {
              account: a.id,
              points: points.map((p) => ({ time: p.time, balance: formatMicros(p.micros) })),
            },
          ]
        : [];
    }),
    spendByModel: accounts.flatMap((a) =>
      [...a.spendByModel].map(([model, micros]) => ({
        account: a.id,
        model,
        amount: formatMicros(micros),
      })),
    ),
    topUps,
    adjustments,
    auditEvents: input.auditEvents.map((event) => ({
      account: stateOf(event).id,
      time: event.createdAt,
      kind: event.kind,
      message: describeEvent(event),
    })),
    reconciliation: accounts.map((a) =>
      reconciliationOf(
        a,
        input.auditEvents.filter((e) => `${e.provider}/${e.account}` === a.id),
      ),
    ),
  };
}

/** Registry order first (the report colours providers by position), unknown providers last. */
function providerRank(provider: string): number {
  const rank = (providerNames as readonly string[]).indexOf(provider);
  return rank === -1 ? providerNames.length : rank;
}

/**
 * An account's balance line over the window: the balance at the window's start (when the
 * history reaches back before it), then the last balance of each day, by the account's source.
 */
function balancePoints(
  state: AccountState,
  windowSince: string,
  since: number,
  until: number,
  snapshots: readonly BalanceSnapshot[],
): Point[] {
  const source = state.source;
  if (source === "snapshots") {
    return snapshots
      .filter((s) => `${s.provider}/${s.account}` === state.id)
      .filter((s) => Date.parse(s.takenAt) >= since && Date.parse(s.takenAt) < until)
      .map((s) => ({ time: s.takenAt, micros: parseDecimal(s.balance) }));
  }
  const opening = AccountState.balanceOf(state.opening ?? state.running, source);
  const days = source === "balanceAfter" ? state.afterByDay : state.sumByDay;
  return [
    ...(opening === undefined ? [] : [{ time: windowSince, micros: opening }]),
    ...days.values(),
  ];
}

/**
 * An account's reconciliation status. `mismatch`: an open balance_break or balance_mismatch
 * event, or the ledger's balance differs from the provider's at its latest snapshot (taken by
 * `spendkit reconcile`). `matched`: they agree and no break is open. `unchecked`: never
 * reconciled, no check applies to the provider, or a sum check before any complete sync.
 */
function reconciliationOf(state: AccountState, events: readonly AuditEvent[]): Reconciliation {
  const breaks = events.filter((e) => e.kind === "balance_break" || e.kind === "balance_mismatch");
  const snapshot = state.lastSnapshot;
  const source = state.source;
  // A sum of no entries is zero; no balanceAfter at all is no figure.
  const ledger =
    source === "sum"
      ? ((state.atSnapshot ?? state.running).sum ?? 0n)
      : AccountState.balanceOf(state.atSnapshot ?? state.running, source);
  const figures: Partial<Reconciliation> = {};
  if (snapshot) {
    figures.checkedAt = snapshot.takenAt;
    figures.providerBalance = formatMicros(parseDecimal(snapshot.balance));
    if (ledger !== undefined) figures.ledgerBalance = formatMicros(ledger);
  }
  const result = (status: Reconciliation["status"], note: string): Reconciliation => ({
    account: state.id,
    status,
    ...figures,
    note,
  });
  if (breaks.length) {
    return result(
      "mismatch",
      `${breaks.length} open reconciliation ${breaks.length === 1 ? "break" : "breaks"} (see spendkit audit)`,
    );
  }
  if (!snapshot) return result("unchecked", "not reconciled yet (spendkit reconcile)");
  if (ledger === undefined) return result("unchecked", "no check applies to this provider");
  if (source === "sum" && !state.ref.lastSuccess) {
    return result("unchecked", "no sync of the whole history has completed yet");
  }
  return parseDecimal(snapshot.balance) === ledger
    ? result("matched", "the stored entries add up to the provider's balance")
    : result("mismatch", "the stored entries differ from the provider's balance");
}

/** A line for an open audit event, from its kind and detail (server text: escaped by the page). */
function describeEvent(event: AuditEvent): string {
  const d = event.detail;
  const entry = `entry ${event.entryId ?? event.subject}`;
  const field = (object: unknown, name: string) =>
    typeof object === "object" && object !== null
      ? String((object as Record<string, unknown>)[name] ?? "")
      : "";
  switch (event.kind) {
    case "changed":
      return `${entry} changed (revision ${field(d, "revision")}): amount ${field(d.before, "amount")} → ${field(d.after, "amount")}`;
    case "vanished":
      return `${entry} (${field(d, "kind")} ${field(d, "amount")}) is no longer listed by the provider`;
    case "reappeared":
      return `${entry} is listed again`;
    case "adjustment":
      return `staff ${field(d, "kind")} of ${field(d, "amount")}${d.description ? `: ${field(d, "description")}` : ""}`;
    case "balance_break":
      return `running balance breaks at ${entry}: the entries give ${field(d, "expected")}, the provider says ${field(d, "actual")}`;
    case "balance_mismatch":
      return `the entries add up to ${field(d, "entries")}, the provider's balance is ${field(d, "provider")}`;
    default:
      return `${event.kind}: ${event.subject}`;
  }
}
