import { isProviderName, providerNames } from "@spendkit/ledger";
import type { AlertScope } from "./alert.js";

/** A calendar period in UTC: a day, a week from Monday, a month. */
export type Period = "day" | "week" | "month";

/** Spend over a period against an amount, firing at each threshold (a ratio of the amount). */
export interface BudgetRule {
  kind: "budget";
  name: string;
  period: Period;
  /** Exact decimal text. */
  amount: string;
  currency: string;
  /** Ascending ratios of `amount`, each exact decimal text ("0.8"). */
  thresholds: string[];
  scope: AlertScope;
}

/** A balance under a floor, per account of the provider (or the one account named). */
export interface BalanceRule {
  kind: "balance";
  name: string;
  provider: string;
  account?: string | undefined;
  below: string;
  currency: string;
}

/** Fewer whole days of balance left than `runwayDaysBelow`, at the trailing burn. */
export interface RunwayRule {
  kind: "runway";
  name: string;
  provider: string;
  account?: string | undefined;
  runwayDaysBelow: number;
  /** Default: every currency the account's balance is in that it also spends in. */
  currency?: string | undefined;
}

/** A UTC day whose spend is `factor` times the average of the `baselineDays` before it. */
export interface SpikeRule {
  kind: "spike";
  name: string;
  factor: string;
  baselineDays: number;
  provider?: string | undefined;
  account?: string | undefined;
}

export type Rule = BudgetRule | BalanceRule | RunwayRule | SpikeRule;

/** Where alerts are sent. The secret is named, never written: `secretEnv` is a variable. */
export interface WebhookConfig {
  name: string;
  url: string;
  format: "json" | "slack";
  secretEnv?: string | undefined;
}

export interface AlertConfig {
  rules: Rule[];
  webhooks: WebhookConfig[];
}

/** The config file's top-level fields this module reads. */
export const RULE_FIELDS = ["budgets", "balances", "spikes", "webhooks"] as const;

type Fail = (field: string, problem: string) => never;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MONEY = /^\d{1,15}(\.\d{1,6})?$/;
const RATIO = /^\d{1,3}(\.\d{1,6})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const NAME_RULE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

/**
 * Reads and checks the rules and webhooks of a config file strictly: unknown fields, wrong types,
 * names used twice and secrets written into the file are errors naming the field.
 */
export function parseAlertConfig(root: Record<string, unknown>, fail: Fail): AlertConfig {
  const names = new Set<string>();
  const uniqueName = (at: string, value: unknown): string => {
    if (typeof value !== "string" || !NAME.test(value)) fail(`${at}.name`, NAME_RULE);
    if (names.has(value as string)) fail(`${at}.name`, "a second rule of the same name");
    names.add(value as string);
    return value as string;
  };
  const rules: Rule[] = [
    ...list(root, "budgets", fail).map((item, i) =>
      budget(item, `budgets[${i}]`, uniqueName, fail),
    ),
    ...list(root, "balances", fail).map((item, i) =>
      balance(item, `balances[${i}]`, uniqueName, fail),
    ),
    ...list(root, "spikes", fail).map((item, i) => spike(item, `spikes[${i}]`, uniqueName, fail)),
  ];
  const hooks = new Set<string>();
  const webhooks = list(root, "webhooks", fail).map((item, i) => {
    const at = `webhooks[${i}]`;
    const hook = webhook(item, at, fail);
    if (hooks.has(hook.name)) fail(`${at}.name`, "a second webhook of the same name");
    hooks.add(hook.name);
    return hook;
  });
  return { rules, webhooks };
}

function list(root: Record<string, unknown>, key: string, fail: Fail): Record<string, unknown>[] {
  const value = root[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(key, "must be an array");
  return (value as unknown[]).map((item, i) => {
    if (!isObject(item)) fail(`${key}[${i}]`, "must be an object");
    return item as Record<string, unknown>;
  });
}

function only(item: Record<string, unknown>, at: string, fields: readonly string[], fail: Fail) {
  for (const key of Object.keys(item)) {
    if (/key|token|secret|password/i.test(key) && !fields.includes(key)) {
      fail(
        `${at}.${fieldName(key)}`,
        "secrets are never kept in the config: put it in an environment variable and name it in secretEnv",
      );
    }
    if (!fields.includes(key)) fail(`${at}.${fieldName(key)}`, "unknown field");
  }
}

function budget(
  item: Record<string, unknown>,
  at: string,
  uniqueName: (at: string, value: unknown) => string,
  fail: Fail,
): BudgetRule {
  only(item, at, ["name", "period", "amount", "currency", "thresholds", "scope"], fail);
  const name = uniqueName(at, item.name);
  const period = item.period;
  if (period !== "day" && period !== "week" && period !== "month") {
    fail(`${at}.period`, 'must be "day", "week" or "month" (UTC)');
  }
  const amount = money(item.amount, `${at}.amount`, fail);
  if (/^0+(\.0+)?$/.test(amount)) fail(`${at}.amount`, "must be more than zero");
  const thresholds = item.thresholds === undefined ? [1] : item.thresholds;
  if (!Array.isArray(thresholds) || thresholds.length === 0 || thresholds.length > 20) {
    fail(
      `${at}.thresholds`,
      "must be a list of 1 to 20 ratios of the amount, such as [0.5, 0.8, 1]",
    );
  }
  const ratios = (thresholds as unknown[]).map((t, i) => {
    const text = typeof t === "number" && Number.isFinite(t) ? String(t) : undefined;
    if (text === undefined || !RATIO.test(text) || t === 0) {
      fail(`${at}.thresholds[${i}]`, "must be a number above 0 (a ratio: 0.8 is 80 %)");
    }
    return { text: text as string, value: t as number };
  });
  for (let i = 1; i < ratios.length; i++) {
    if (ratios[i]!.value <= ratios[i - 1]!.value) {
      fail(`${at}.thresholds`, "must be in ascending order, each once");
    }
  }
  return {
    kind: "budget",
    name,
    period: period as Period,
    amount,
    currency: currency(item.currency, `${at}.currency`, fail),
    thresholds: ratios.map((r) => r.text),
    scope: scope(item.scope, `${at}.scope`, fail),
  };
}

function balance(
  item: Record<string, unknown>,
  at: string,
  uniqueName: (at: string, value: unknown) => string,
  fail: Fail,
): BalanceRule | RunwayRule {
  only(item, at, ["name", "provider", "account", "below", "currency", "runwayDaysBelow"], fail);
  const name = uniqueName(at, item.name);
  const provider = providerField(item.provider, `${at}.provider`, fail, true) as string;
  const account = accountField(item.account, `${at}.account`, fail);
  const hasFloor = item.below !== undefined;
  const hasRunway = item.runwayDaysBelow !== undefined;
  if (hasFloor === hasRunway) {
    fail(at, 'needs exactly one of "below" (with "currency") and "runwayDaysBelow"');
  }
  if (hasFloor) {
    return {
      kind: "balance",
      name,
      provider,
      account,
      below: money(item.below, `${at}.below`, fail),
      currency: currency(item.currency, `${at}.currency`, fail),
    };
  }
  const days = item.runwayDaysBelow;
  if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 3660) {
    fail(`${at}.runwayDaysBelow`, "must be a whole number of days, 1 to 3660");
  }
  return {
    kind: "runway",
    name,
    provider,
    account,
    runwayDaysBelow: days as number,
    currency:
      item.currency === undefined ? undefined : currency(item.currency, `${at}.currency`, fail),
  };
}

function spike(
  item: Record<string, unknown>,
  at: string,
  uniqueName: (at: string, value: unknown) => string,
  fail: Fail,
): SpikeRule {
  only(item, at, ["name", "factor", "baselineDays", "provider", "account"], fail);
  const name = uniqueName(at, item.name);
  const factor = item.factor;
  const text = typeof factor === "number" && Number.isFinite(factor) ? String(factor) : "";
  if (!RATIO.test(text) || (factor as number) <= 1) {
    fail(`${at}.factor`, "must be a number above 1 (5: a day costing five times the usual)");
  }
  const days = item.baselineDays ?? 14;
  if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 366) {
    fail(`${at}.baselineDays`, "must be a whole number of days, 1 to 366");
  }
  return {
    kind: "spike",
    name,
    factor: text,
    baselineDays: days as number,
    provider: providerField(item.provider, `${at}.provider`, fail, false),
    account: accountField(item.account, `${at}.account`, fail),
  };
}

function webhook(item: Record<string, unknown>, at: string, fail: Fail): WebhookConfig {
  only(item, at, ["name", "url", "secretEnv", "format"], fail);
  if (typeof item.name !== "string" || !NAME.test(item.name)) fail(`${at}.name`, NAME_RULE);
  const format = item.format ?? "json";
  if (format !== "json" && format !== "slack") fail(`${at}.format`, 'must be "json" or "slack"');
  // The URL is never repeated in a message: a Slack webhook's path is its secret.
  let url: URL | undefined;
  try {
    url = typeof item.url === "string" ? new URL(item.url) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    fail(`${at}.url`, "must be an https URL");
  }
  if (url!.protocol === "http:" && !isLoopback(url!.hostname)) {
    fail(`${at}.url`, "must be https (plain http only to a loopback address, for tests)");
  }
  if (
    item.secretEnv !== undefined &&
    (typeof item.secretEnv !== "string" || !ENV_NAME.test(item.secretEnv))
  ) {
    fail(`${at}.secretEnv`, "must be the name of an environment variable (letters, digits, '_')");
  }
  if (format === "json" && item.secretEnv === undefined) {
    fail(
      `${at}.secretEnv`,
      "is required for JSON webhooks: the variable holding the signing secret",
    );
  }
  return {
    name: item.name as string,
    url: item.url as string,
    format: format as "json" | "slack",
    secretEnv: item.secretEnv as string | undefined,
  };
}

function scope(value: unknown, at: string, fail: Fail): AlertScope {
  if (value === undefined) return {};
  if (!isObject(value)) fail(at, "must be an object");
  const item = value as Record<string, unknown>;
  only(item, at, ["provider", "account", "project", "model"], fail);
  const out: AlertScope = {};
  const provider = providerField(item.provider, `${at}.provider`, fail, false);
  if (provider) out.provider = provider;
  const account = accountField(item.account, `${at}.account`, fail);
  if (account) out.account = account;
  for (const key of ["project", "model"] as const) {
    const v = item[key];
    if (v === undefined) continue;
    if (typeof v !== "string" || v.trim() === "" || v.length > 256) {
      fail(`${at}.${key}`, "must be a non-empty string");
    }
    out[key] = v as string;
  }
  return out;
}

function providerField(value: unknown, at: string, fail: Fail, required: boolean) {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || !isProviderName(value)) {
    fail(at, `must be one of ${providerNames.join(", ")}`);
  }
  return value as string;
}

function accountField(value: unknown, at: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !NAME.test(value)) fail(at, NAME_RULE);
  return value as string;
}

function money(value: unknown, at: string, fail: Fail): string {
  if (typeof value !== "string" || !MONEY.test(value)) {
    fail(at, 'must be an exact decimal in a string, such as "500.00"');
  }
  return value as string;
}

function currency(value: unknown, at: string, fail: Fail): string {
  if (typeof value !== "string" || !CURRENCY.test(value)) {
    fail(at, 'must be an ISO 4217 code in upper case, such as "USD"');
  }
  return value as string;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Field names in messages: shown only when made of letters (a secret almost never is). */
export function fieldName(key: string): string {
  return /^[A-Za-z$]{1,32}$/.test(key) ? key : "(a field whose name is not shown)";
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
