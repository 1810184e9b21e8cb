import {
  adapterOf,
  compareText,
  formatMicros,
  isProviderName,
  parseDecimal,
  providerNames,
} from "@spendkit/ledger";
import type { Reconciliation, ReportData } from "@spendkit/report";
import type { AccountReport, AuditEvent, ReportFigures } from "@spendkit/store";

/** The checks (balance kinds, adjustment kinds) of a provider, from its adapter. */
export function reportChecks(provider: string) {
  return isProviderName(provider) ? adapterOf(provider).reconcile : undefined;
}

/** An amount as the report writes it: the ledger's canonical form. */
const money = (text: string) => formatMicros(parseDecimal(text));

/** A report account is a provider's account in one currency. */
const id = (ref: { provider: string; account: string; currency: string }) =>
  `${ref.provider}/${ref.account}/${ref.currency}`;

const accountKey = (ref: { provider: string; account: string }) => `${ref.provider}/${ref.account}`;

/**
 * The report's data from the figures the store computed (`reportFigures`, SQL aggregates over
 * the window): here only what the store cannot know — the providers' display names and order,
 * the audit events in words, and each account's reconciliation status. Each of the store's
 * accounts in one currency is one report account (`provider/account/currency`), so that every
 * amount of a report account is in its currency.
 */
export function buildReportData(figures: ReportFigures, now: Date): ReportData {
  const accounts = [...figures.accounts].sort(
    (a, b) =>
      providerRank(a.provider) - providerRank(b.provider) ||
      compareText(a.provider, b.provider) ||
      compareText(a.account, b.account) ||
      compareText(a.currency, b.currency),
  );
  // An account's audit events are about its entries: they go with its ledger currency (an
  // account without entries has only its first currency).
  const home = new Map<string, AccountReport>();
  for (const a of accounts) {
    if (a.ledger || !home.has(accountKey(a))) home.set(accountKey(a), a);
  }
  const providers = [...new Set(accounts.map((a) => a.provider))];
  return {
    window: figures.window,
    generatedAt: now.toISOString(),
    providers: providers.map((provider) => ({
      id: provider,
      name: isProviderName(provider) ? adapterOf(provider).displayName : provider,
    })),
    accounts: accounts.map((a) => ({
      id: id(a),
      provider: a.provider,
      name: a.account,
      currency: a.currency,
    })),
    dailySpend: accounts
      .flatMap((a) =>
        a.dailySpend.map((d) => ({ date: d.date, account: id(a), amount: money(d.amount) })),
      )
      .sort((x, y) => compareText(x.date, y.date)),
    balances: accounts.flatMap((a) =>
      a.balances.length
        ? [
            {
              account: id(a),
              points: a.balances.map((p) => ({ time: p.time, balance: money(p.balance) })),
            },
          ]
        : [],
    ),
    spendByModel: accounts.flatMap((a) =>
      a.spendByModel.map((m) => ({ account: id(a), model: m.model, amount: money(m.amount) })),
    ),
    spendByProject: accounts.flatMap((a) =>
      a.spendByProject.map((p) => ({ account: id(a), name: p.project, amount: money(p.amount) })),
    ),
    spendByKey: accounts.flatMap((a) =>
      a.spendByKey.map((k) => ({ account: id(a), name: k.apiKey, amount: money(k.amount) })),
    ),
    topUps: figures.topUps.map((t) => ({
      account: id(t),
      time: t.time,
      amount: money(t.amount),
      ...(t.note === undefined ? {} : { reference: t.note }),
    })),
    adjustments: figures.adjustments.map((t) => ({
      account: id(t),
      time: t.time,
      amount: money(t.amount),
      ...(t.note === undefined ? {} : { description: t.note }),
    })),
    // The store lists the events of the accounts it lists only.
    auditEvents: figures.auditEvents.map((event) => ({
      account: id(home.get(accountKey(event))!),
      time: event.createdAt,
      kind: event.kind,
      message: describeEvent(event),
    })),
    reconciliation: accounts.map((a) =>
      a.ledger
        ? reconciliationOf(
            a,
            figures.auditEvents.filter((e) => accountKey(e) === accountKey(a)),
          )
        : balancesOnly(a, home.get(accountKey(a))),
    ),
  };
}

/** Registry order first (the report colours providers by position), unknown providers last. */
function providerRank(provider: string): number {
  const rank = (providerNames as readonly string[]).indexOf(provider);
  return rank === -1 ? providerNames.length : rank;
}

/**
 * An account's reconciliation status. `mismatch`: an open balance_break or balance_mismatch
 * event, or the ledger's balance differs from the provider's at its latest snapshot (taken by
 * `spendkit reconcile`). `matched`: they agree and no break is open. `unchecked`: never
 * reconciled, no check applies to the provider, or a sum check before any complete sync.
 */
function reconciliationOf(account: AccountReport, events: readonly AuditEvent[]): Reconciliation {
  const breaks = events
    .filter((e) => e.kind === "balance_break" || e.kind === "balance_mismatch")
    .reduce((count, e) => count + (typeof e.detail.more === "number" ? e.detail.more : 1), 0);
  const snapshot = account.latestSnapshot;
  const source = account.source;
  const ledger =
    account.ledgerAtSnapshot === undefined ? undefined : parseDecimal(account.ledgerAtSnapshot);
  const figures: Partial<Reconciliation> = {};
  if (snapshot) {
    figures.checkedAt = snapshot.takenAt;
    figures.providerBalance = formatMicros(parseDecimal(snapshot.balance));
    if (ledger !== undefined) figures.ledgerBalance = formatMicros(ledger);
  }
  const result = (status: Reconciliation["status"], note: string): Reconciliation => ({
    account: id(account),
    status,
    ...figures,
    note,
  });
  if (breaks) {
    return result(
      "mismatch",
      `${breaks} open reconciliation ${breaks === 1 ? "break" : "breaks"} (see spendkit audit)`,
    );
  }
  if (!snapshot) return result("unchecked", "not reconciled yet (spendkit reconcile)");
  if (ledger === undefined) return result("unchecked", "no check applies to this provider");
  if (source === "sum" && !account.lastSuccess) {
    return result("unchecked", "no sync of the whole history has completed yet");
  }
  return parseDecimal(snapshot.balance) === ledger
    ? result("matched", "the stored entries add up to the provider's balance")
    : result("mismatch", "the stored entries differ from the provider's balance");
}

/**
 * A currency the account has no entries in: its balances are recorded (the latest is shown),
 * and there is nothing to check them against.
 */
function balancesOnly(account: AccountReport, home: AccountReport | undefined): Reconciliation {
  const snapshot = account.latestSnapshot;
  return {
    account: id(account),
    status: "unchecked",
    ...(snapshot && {
      checkedAt: snapshot.takenAt,
      providerBalance: formatMicros(parseDecimal(snapshot.balance)),
    }),
    note: home?.ledger
      ? `no entries in ${account.currency} to check: the account's entries are in ${home.currency}`
      : "balances only: no entries to check them against",
  };
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
      if (typeof d.more === "number") {
        return `the running balance breaks at ${d.more} more entries (recorded: the first ones)`;
      }
      return `running balance breaks at ${entry}: the entries give ${field(d, "expected")}, the provider says ${field(d, "actual")}`;
    case "balance_mismatch":
      if (d.provider === null) {
        return `the provider reports no balance in ${field(d, "currency")} (the ledger's is ${field(d, "entries")})`;
      }
      return `the entries add up to ${field(d, "entries")}, the provider's balance is ${field(d, "provider")}`;
    default:
      return `${event.kind}: ${event.subject}`;
  }
}
