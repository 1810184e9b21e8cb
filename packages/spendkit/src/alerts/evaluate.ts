import { createHash } from "node:crypto";
import { formatMicros, parseDecimal } from "@spendkit/ledger";
import type { BalanceSnapshot, DaySpend, Store } from "@spendkit/store";
import type { Alert, AlertScope } from "./alert.js";
import { dayFrom, periodAt } from "./periods.js";
import type { BalanceRule, BudgetRule, Rule, RunwayRule, SpikeRule } from "./rules.js";
import { RUNWAY_TRAILING_DAYS, type RunwayInputs, runwayOf } from "./runway.js";

type StoreModule = typeof import("@spendkit/store");

/**
 * A crossing the rules see in the store now, fired before or not: which crossing it is
 * (rule, subject, period start, threshold) and the alert it makes.
 */
export interface Crossing {
  subject: string;
  periodStart: string;
  alert: Alert;
}

/**
 * Every crossing the rules see in the store at `now`. A balance or runway condition is recorded
 * as holding (or as recovered) on the way, unless `dryRun`: that is what makes it fire once per
 * episode. Amounts are provider-billed and per currency; nothing is converted.
 */
export async function evaluateRules(
  store: Store,
  module: StoreModule,
  rules: readonly Rule[],
  options: { now: Date; dryRun: boolean },
): Promise<Crossing[]> {
  const needsBalances = rules.some((r) => r.kind === "balance" || r.kind === "runway");
  const balances = needsBalances ? await module.latestBalances(store) : [];
  const longest = Math.max(
    RUNWAY_TRAILING_DAYS,
    ...rules.map((r) => (r.kind === "spike" ? r.baselineDays + 1 : 0)),
  );
  const needsDays = rules.some((r) => r.kind === "runway" || r.kind === "spike");
  const days = needsDays
    ? await module.dailySpend(store, dayFrom(options.now, -longest - 1), dayFrom(options.now, 0))
    : [];
  const firstDays = needsDays
    ? new Map((await module.firstEntryDays(store)).map((f) => [key(f), f.day]))
    : new Map<string, string>();
  // The forecast is the report's, so that both say the same; loaded only when a rule needs it
  // (the CLI loads @spendkit/report for spendkit report alone).
  const forecast = rules.some((r) => r.kind === "runway")
    ? (await import("@spendkit/report")).forecastRunway
    : undefined;
  const crossings: Crossing[] = [];
  for (const rule of rules) {
    switch (rule.kind) {
      case "budget":
        crossings.push(...(await budgetCrossings(store, module, rule, options.now)));
        break;
      case "balance":
      case "runway": {
        const found =
          rule.kind === "balance"
            ? floorConditions(rule, balances)
            : runwayConditions(rule, balances, { days, firstDays, forecastRunway: forecast! });
        crossings.push(...(await episodes(store, module, rule, found, options)));
        break;
      }
      case "spike":
        crossings.push(...spikeCrossings(rule, days, firstDays, options.now));
        break;
    }
  }
  return crossings;
}

/** The stable id of a crossing: the same crossing has the same id in every process. */
export function crossingId(rule: Rule, subject: string, periodStart: string, threshold: string) {
  const digest = createHash("sha256")
    .update([rule.kind, rule.name, subject, periodStart, threshold].join("\n"))
    .digest("hex");
  return `alert_${digest.slice(0, 32)}`;
}

/**
 * A budget's spend so far: its scope's, in its currency, over its current period up to `now`.
 * Alerts and the `spendkit_budget_used_ratio` metric both read it.
 */
export async function budgetSpend(
  store: Store,
  module: StoreModule,
  rule: BudgetRule,
  now: Date,
): Promise<{ start: Date; end: Date; spent: string }> {
  const { start, end } = periodAt(rule.period, now);
  const rows = await module.spendBy(store, {
    since: start,
    until: now,
    groupBy: ["currency"],
    ...rule.scope,
  });
  return { start, end, spent: rows.find((r) => r.currency === rule.currency)?.amount ?? "0" };
}

async function budgetCrossings(
  store: Store,
  module: StoreModule,
  rule: BudgetRule,
  now: Date,
): Promise<Crossing[]> {
  const { start, end, spent } = await budgetSpend(store, module, rule, now);
  const spentMicros = parseDecimal(spent);
  const amountMicros = parseDecimal(rule.amount);
  const periodStart = start.toISOString();
  return rule.thresholds
    .filter((t) => spentMicros * 1_000_000n >= amountMicros * parseDecimal(t))
    .map((threshold) => {
      const subject = rule.currency;
      const percent = `${formatRatio(threshold)} %`;
      return {
        subject,
        periodStart,
        alert: {
          id: crossingId(rule, subject, periodStart, threshold),
          rule: { kind: rule.kind, name: rule.name },
          scope: rule.scope,
          period: { start: periodStart, end: end.toISOString() },
          threshold,
          observed: formatMicros(spentMicros),
          limit: formatMicros(amountMicros),
          currency: rule.currency,
          firedAt: now.toISOString(),
          message: `Budget "${rule.name}" (${rule.period} from ${periodStart.slice(0, 10)}${describeScope(rule.scope)}): ${formatMicros(spentMicros)} ${rule.currency} spent of ${formatMicros(amountMicros)} ${rule.currency}, past its ${percent} threshold.`,
        },
      };
    });
}

/** A balance or runway condition seen now: holding (with its alert's figures) or not. */
interface Condition {
  subject: string;
  holds: boolean;
  scope: AlertScope;
  threshold: string;
  observed: string;
  limit?: string;
  currency?: string;
  message: string;
}

function floorConditions(rule: BalanceRule, balances: readonly BalanceSnapshot[]): Condition[] {
  const below = parseDecimal(rule.below);
  return balances
    .filter((b) => inScope(rule, b) && b.currency === rule.currency)
    .map((b) => ({
      subject: `${b.provider}/${b.account}/${b.currency}`,
      holds: parseDecimal(b.balance) < below,
      scope: { provider: b.provider, account: b.account },
      threshold: formatMicros(below),
      observed: formatMicros(parseDecimal(b.balance)),
      limit: formatMicros(below),
      currency: b.currency,
      message: `The balance of ${b.provider}/${b.account} is ${formatMicros(parseDecimal(b.balance))} ${b.currency} (as of ${b.takenAt}), below the floor of ${formatMicros(below)} ${b.currency} of rule "${rule.name}".`,
    }));
}

function runwayConditions(
  rule: RunwayRule,
  balances: readonly BalanceSnapshot[],
  inputs: RunwayInputs,
): Condition[] {
  return balances
    .filter((b) => inScope(rule, b) && (!rule.currency || b.currency === rule.currency))
    .flatMap((b) => {
      const forecast = runwayOf(inputs, b);
      if (forecast === undefined || forecast.daysLeft === null) return [];
      return [
        {
          subject: `${b.provider}/${b.account}/${b.currency}`,
          holds: forecast.daysLeft < rule.runwayDaysBelow,
          scope: { provider: b.provider, account: b.account },
          threshold: String(rule.runwayDaysBelow),
          observed: String(forecast.daysLeft),
          currency: b.currency,
          message: `${b.provider}/${b.account} has ${forecast.daysLeft} day${forecast.daysLeft === 1 ? "" : "s"} of balance left (${formatMicros(parseDecimal(b.balance))} ${b.currency} at the trailing ${forecast.days}-day burn of ${forecast.dailyBurn} ${b.currency} a day), fewer than the ${rule.runwayDaysBelow} of rule "${rule.name}".`,
        },
      ];
    });
}

/**
 * A condition fires once when it begins: its period starts at the moment it was first seen
 * holding (kept in the store), and a recovery forgets it, so that it fires again next time.
 */
async function episodes(
  store: Store,
  module: StoreModule,
  rule: BalanceRule | RunwayRule,
  conditions: readonly Condition[],
  options: { now: Date; dryRun: boolean },
): Promise<Crossing[]> {
  const crossings: Crossing[] = [];
  for (const c of conditions) {
    if (!c.holds) {
      if (!options.dryRun) await module.conditionRecovered(store.db, rule.name, c.subject);
      continue;
    }
    const since = await module.conditionHolds(store.db, rule.name, c.subject, options.dryRun);
    crossings.push({
      subject: c.subject,
      periodStart: since,
      alert: {
        id: crossingId(rule, c.subject, since, c.threshold),
        rule: { kind: rule.kind, name: rule.name },
        scope: c.scope,
        period: { start: since },
        threshold: c.threshold,
        observed: c.observed,
        ...(c.limit !== undefined ? { limit: c.limit } : {}),
        ...(c.currency !== undefined ? { currency: c.currency } : {}),
        firedAt: options.now.toISOString(),
        message: c.message,
      },
    });
  }
  return crossings;
}

/**
 * Yesterday and today so far, each against the average of the `baselineDays` before it: a day
 * costing `factor` times that fires once (today's as soon as a sync shows it). An account with
 * less history than the baseline, or a baseline of nothing, has no usual to compare with.
 */
function spikeCrossings(
  rule: SpikeRule,
  days: readonly DaySpend[],
  firstDays: ReadonlyMap<string, string>,
  now: Date,
): Crossing[] {
  const accounts = new Map<string, DaySpend[]>();
  for (const d of days) {
    if (!inScope(rule, d)) continue;
    const list = accounts.get(key(d));
    if (list) list.push(d);
    else accounts.set(key(d), [d]);
  }
  const factor = parseDecimal(rule.factor);
  const crossings: Crossing[] = [];
  for (const [account, spend] of accounts) {
    const byDay = new Map(spend.map((d) => [d.day, parseDecimal(d.amount)]));
    const { provider, account: name, currency } = spend[0]!;
    for (const offset of [-1, 0]) {
      const day = dayFrom(now, offset);
      const first = dayFrom(now, offset - rule.baselineDays);
      if ((firstDays.get(account) ?? day) > first) continue;
      let baseline = 0n;
      for (let i = 1; i <= rule.baselineDays; i++)
        baseline += byDay.get(dayFrom(now, offset - i)) ?? 0n;
      const spent = byDay.get(day) ?? 0n;
      // spent ≥ factor × baseline ÷ days, in integers: exact.
      if (baseline <= 0n || spent * BigInt(rule.baselineDays) * 1_000_000n < factor * baseline) {
        continue;
      }
      const average = formatMicros(baseline / BigInt(rule.baselineDays));
      const periodStart = `${day}T00:00:00.000Z`;
      const subject = `${provider}/${name}/${currency}`;
      crossings.push({
        subject,
        periodStart,
        alert: {
          id: crossingId(rule, subject, periodStart, rule.factor),
          rule: { kind: rule.kind, name: rule.name },
          scope: { provider, account: name },
          period: { start: periodStart, end: `${dayFrom(now, offset + 1)}T00:00:00.000Z` },
          threshold: rule.factor,
          observed: formatMicros(spent),
          limit: average,
          currency,
          firedAt: now.toISOString(),
          message: `${provider}/${name} spent ${formatMicros(spent)} ${currency} on ${day}${offset === 0 ? " so far" : ""}, at least ${rule.factor} times its ${rule.baselineDays}-day average of ${average} ${currency} (rule "${rule.name}").`,
        },
      });
    }
  }
  return crossings;
}

function inScope(
  rule: { provider?: string | undefined; account?: string | undefined },
  ref: { provider: string; account: string },
): boolean {
  return (
    (rule.provider === undefined || rule.provider === ref.provider) &&
    (rule.account === undefined || rule.account === ref.account)
  );
}

const key = (ref: { provider: string; account: string }) => `${ref.provider}/${ref.account}`;

/** "0.8" → "80", "1" → "100", "0.125" → "12.5". */
function formatRatio(ratio: string): string {
  const micros = parseDecimal(ratio) * 100n;
  return formatMicros(micros).replace(/\.?0+$/, "");
}

function describeScope(scope: AlertScope): string {
  const parts = [
    scope.provider && (scope.account ? `${scope.provider}/${scope.account}` : scope.provider),
    !scope.provider && scope.account && `account ${scope.account}`,
    scope.project && `project ${scope.project}`,
    scope.model && `model ${scope.model}`,
  ].filter(Boolean);
  return parts.length ? `, ${parts.join(", ")}` : "";
}
