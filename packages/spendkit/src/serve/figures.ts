import { formatMicros, parseDecimal } from "@spendkit/ledger";
import type { Store } from "@spendkit/store";
import { budgetSpend } from "../alerts/evaluate.js";
import { dayFrom } from "../alerts/periods.js";
import type { BudgetRule, Rule } from "../alerts/rules.js";
import { RUNWAY_TRAILING_DAYS, runwayOf } from "../alerts/runway.js";
import type { DistinctDrift } from "../drift.js";
import type { MetricFamily } from "./metrics.js";

type StoreModule = typeof import("@spendkit/store");

/**
 * The metric families `/metrics` exposes, every figure read from the store at scrape time:
 * balances from the latest snapshots, spend from the daily rollups, budgets over their current
 * period. Money is exact decimal text (Prometheus parses it as a float; the text stays exact).
 */
export async function metricFamilies(
  store: Store,
  module: StoreModule,
  rules: readonly Rule[],
  now: Date,
): Promise<MetricFamily[]> {
  const [balances, spend, status] = await Promise.all([
    module.latestBalances(store),
    module.spendTotals(store),
    module.accountStatus(store),
  ]);
  const runway = await runwayDays(store, module, balances, status, now);
  const budgets = await budgetRatios(store, module, rules, now);
  const account = (s: { provider: string; account: string }) => ({
    provider: s.provider,
    account: s.account,
  });
  return [
    {
      name: "spendkit_balance",
      help: "The provider's balance at the latest sync or reconcile, per account and currency.",
      type: "gauge",
      samples: balances.map((b) => ({
        labels: { ...account(b), currency: b.currency },
        value: formatMicros(parseDecimal(b.balance)),
      })),
    },
    {
      name: "spendkit_spend_total",
      help: "Spend booked since the first stored entry (usage, subscriptions and invoices, less refunds), per account and currency.",
      type: "counter",
      samples: spend.map((s) => ({
        labels: { ...account(s), currency: s.currency },
        value: formatMicros(parseDecimal(s.amount)),
      })),
    },
    {
      name: "spendkit_runway_days",
      help: `Whole days the balance lasts at the trailing ${RUNWAY_TRAILING_DAYS}-day burn, in the account's ledger currency (absent without any burn).`,
      type: "gauge",
      samples: runway,
    },
    {
      name: "spendkit_budget_used_ratio",
      help: "Spend over the budget's current period divided by its amount (1 = all of it).",
      type: "gauge",
      samples: budgets,
    },
    {
      name: "spendkit_last_sync_success_timestamp_seconds",
      help: "When the account's last successful sync ended, in seconds since the Unix epoch.",
      type: "gauge",
      samples: status.flatMap((s) =>
        s.lastSuccess ? [{ labels: account(s), value: Date.parse(s.lastSuccess) / 1000 }] : [],
      ),
    },
    {
      name: "spendkit_sync_failures_total",
      help: "Syncs of the account that failed.",
      type: "counter",
      samples: status.map((s) => ({ labels: account(s), value: s.failures })),
    },
    {
      name: "spendkit_open_audit_events",
      help: "Audit events not yet resolved (changed, vanished or adjusted entries, reconciliation breaks).",
      type: "gauge",
      samples: [{ value: status.reduce((n, s) => n + s.openAuditEvents, 0) }],
    },
  ];
}

/** The runway of each account's balance in its ledger currency, as alerts and the report see it. */
async function runwayDays(
  store: Store,
  module: StoreModule,
  balances: Awaited<ReturnType<StoreModule["latestBalances"]>>,
  status: Awaited<ReturnType<StoreModule["accountStatus"]>>,
  now: Date,
) {
  const ledger = new Map(status.map((s) => [`${s.provider}/${s.account}`, s.currency]));
  const inLedgerCurrency = balances.filter(
    (b) => ledger.get(`${b.provider}/${b.account}`) === b.currency,
  );
  if (inLedgerCurrency.length === 0) return [];
  const { forecastRunway } = await import("@spendkit/report");
  const days = await module.dailySpend(
    store,
    dayFrom(now, -RUNWAY_TRAILING_DAYS - 1),
    dayFrom(now, 0),
  );
  const first = new Map(
    (await module.firstEntryDays(store)).map((f) => [`${f.provider}/${f.account}`, f.day]),
  );
  const inputs = { days, firstDays: first, forecastRunway };
  return inLedgerCurrency.flatMap((b) => {
    const forecast = runwayOf(inputs, b);
    return forecast?.daysLeft == null
      ? []
      : [{ labels: { provider: b.provider, account: b.account }, value: forecast.daysLeft }];
  });
}

async function budgetRatios(store: Store, module: StoreModule, rules: readonly Rule[], now: Date) {
  const budgets = rules.filter((r): r is BudgetRule => r.kind === "budget");
  return Promise.all(
    budgets.map(async (rule) => {
      const { spent } = await budgetSpend(store, module, rule, now);
      return {
        labels: { budget: rule.name, currency: rule.currency },
        // Exact to the millionth: spend and amount are decimals, never floats.
        value: formatMicros((parseDecimal(spent) * 1_000_000n) / parseDecimal(rule.amount)),
      };
    }),
  );
}

/**
 * The one figure not read from the store: the distinct drifts the service's clients have seen
 * since it started, per configured provider (0 until one is seen, so that a rule can compare).
 */
export function driftFamily(drift: DistinctDrift, providers: readonly string[]): MetricFamily {
  return {
    name: "spendkit_spec_drifts",
    help: "Distinct differences between a provider's answers and its spec seen since the service started (above 0: the provider's API changed; update its spec).",
    type: "gauge",
    samples: [...new Set(providers)].map((provider) => ({
      labels: { provider },
      value: drift.countOf(provider),
    })),
  };
}
