import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type DriftReport, InputError } from "@spendkit/core";
import type { ProviderName } from "@spendkit/ledger";
import { adapterOf, isProviderName, providerNames } from "@spendkit/ledger";
import {
  type AlertConfig,
  fieldName,
  isObject,
  parseAlertConfig,
  RULE_FIELDS,
} from "./alerts/rules.js";
import { UsageError } from "./usage-error.js";

/** Where a config is looked for and keys are read: a command's environment and directory. */
export interface ConfigContext {
  env: Record<string, string | undefined>;
  cwd: string;
}

/** One account to sync: which provider, its name in the store, where its key is. */
export interface AccountConfig {
  provider: ProviderName;
  /** The account's name in the store (unique per provider). */
  name: string;
  /** The environment variable that holds the key; the key itself is never in the file. */
  apiKeyEnv: string;
  baseUrl?: string;
  /** Further client options the provider's adapter reads (a team id, say). */
  options: Record<string, string>;
  /** The account's rate limit when the provider does not state one in its responses. */
  requestsPerMinute?: number;
}

/** What sync and serve say when there is nothing to sync. */
export const NO_ACCOUNT =
  "no account to sync: write a spendkit.config.json (see spendkit sync --help) or set a provider's key variable";

/** The default config file, looked for in the current directory. */
export const CONFIG_FILE = "spendkit.config.json";

/**
 * A config file that is not valid. `field` names where (`accounts[1].baseUrl`); the message
 * never repeats a value from the file, which could be a key pasted in the wrong place.
 */
export class ConfigError extends UsageError {
  override name = "ConfigError";
  readonly field: string;
  constructor(file: string, field: string, problem: string) {
    super(`${file}: ${field}: ${problem}`);
    this.field = field;
  }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ACCOUNT_FIELDS = new Set(["provider", "name", "apiKeyEnv", "baseUrl", "requestsPerMinute"]);

/**
 * The accounts of a command: from `--config FILE`, else `spendkit.config.json` in the current
 * directory, else one account per provider whose key variable is set (named after the
 * provider, configured from the same variables as `spendkit ledger`).
 */
export function loadAccounts(io: ConfigContext, configFlag: string | undefined): AccountConfig[] {
  return loadConfig(io, configFlag).accounts;
}

/** A whole config: the accounts, and the alert rules and webhooks (none without a file). */
export interface SpendkitConfig extends AlertConfig {
  accounts: AccountConfig[];
}

/** The config of a command (see loadAccounts for where it comes from). */
export function loadConfig(io: ConfigContext, configFlag: string | undefined): SpendkitConfig {
  const path =
    configFlag !== undefined ? resolve(io.cwd, configFlag) : resolve(io.cwd, CONFIG_FILE);
  if (configFlag === "") throw new UsageError("--config: give a file name");
  if (configFlag === undefined && !existsSync(path)) {
    return { accounts: accountsFromEnv(io), rules: [], webhooks: [] };
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `--config: cannot read ${configFlag ?? CONFIG_FILE}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(configFlag ?? CONFIG_FILE, "(file)", "is not valid JSON");
  }
  return parseSpendkitConfig(json, configFlag ?? CONFIG_FILE);
}

/** The accounts of a parsed config file (see parseSpendkitConfig). */
export function parseConfig(json: unknown, file: string): AccountConfig[] {
  return parseSpendkitConfig(json, file).accounts;
}

/** Validates a parsed config file strictly: unknown fields, wrong types and repeats are errors. */
export function parseSpendkitConfig(json: unknown, file: string): SpendkitConfig {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(file, field, problem);
  };
  if (!isObject(json)) fail("(file)", 'must be an object: { "accounts": [ ... ] }');
  const root = json as Record<string, unknown>;
  for (const key of Object.keys(root)) {
    const known =
      key === "accounts" || key === "$schema" || (RULE_FIELDS as readonly string[]).includes(key);
    if (!known) fail(fieldName(key), "unknown field");
  }
  if (!Array.isArray(root.accounts) || root.accounts.length === 0) {
    fail("accounts", "must be a non-empty array of accounts");
  }
  const seen = new Set<string>();
  const accounts = (root.accounts as unknown[]).map((item, i) => {
    const at = `accounts[${i}]`;
    if (!isObject(item)) fail(at, "must be an object");
    const account = item as Record<string, unknown>;
    const provider = account.provider;
    if (typeof provider !== "string" || !isProviderName(provider)) {
      fail(`${at}.provider`, `must be one of ${providerNames.join(", ")}`);
    }
    const adapter = adapterOf(provider as ProviderName);
    const optionNames = Object.keys(adapter.env.options ?? {});
    for (const key of Object.keys(account)) {
      if (/key|token|secret/i.test(key) && key !== "apiKeyEnv") {
        fail(
          `${at}.${fieldName(key)}`,
          "keys are never kept in the config: put the key in an environment variable and name it in apiKeyEnv",
        );
      }
      if (!ACCOUNT_FIELDS.has(key) && !optionNames.includes(key)) {
        fail(`${at}.${fieldName(key)}`, `unknown field for ${provider}`);
      }
    }
    if (typeof account.name !== "string" || !ACCOUNT_NAME.test(account.name)) {
      fail(
        `${at}.name`,
        "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
      );
    }
    if (typeof account.apiKeyEnv !== "string" || !ENV_NAME.test(account.apiKeyEnv)) {
      fail(`${at}.apiKeyEnv`, "must be the name of an environment variable (letters, digits, '_')");
    }
    const id = `${provider}/${account.name}`;
    if (seen.has(id)) fail(`${at}.name`, `a second ${provider} account of the same name`);
    seen.add(id);
    const config: AccountConfig = {
      provider: provider as ProviderName,
      name: account.name as string,
      apiKeyEnv: account.apiKeyEnv as string,
      options: {},
    };
    if (account.baseUrl !== undefined) {
      if (typeof account.baseUrl !== "string" || !/^https?:\/\/[^\s]+$/.test(account.baseUrl)) {
        fail(`${at}.baseUrl`, "must be an http(s) URL");
      }
      config.baseUrl = account.baseUrl as string;
    }
    if (account.requestsPerMinute !== undefined) {
      const rpm = account.requestsPerMinute;
      if (typeof rpm !== "number" || !Number.isFinite(rpm) || rpm <= 0 || rpm > 1_000_000) {
        fail(`${at}.requestsPerMinute`, "must be a positive number");
      }
      config.requestsPerMinute = rpm as number;
    }
    for (const option of optionNames) {
      const value = account[option];
      if (value === undefined) continue;
      if (typeof value !== "string" || value.trim() === "")
        fail(`${at}.${option}`, "must be a non-empty string");
      config.options[option] = (value as string).trim();
    }
    return config;
  });
  return { accounts, ...parseAlertConfig(root, fail) };
}

/** Without a config file: one account per provider whose key variable is set. */
function accountsFromEnv(io: ConfigContext): AccountConfig[] {
  const accounts: AccountConfig[] = [];
  for (const provider of providerNames) {
    const { env } = adapterOf(provider);
    if (!io.env[env.apiKey]?.trim()) continue;
    const config: AccountConfig = { provider, name: provider, apiKeyEnv: env.apiKey, options: {} };
    const baseUrl = io.env[env.baseUrl]?.trim();
    if (baseUrl) config.baseUrl = baseUrl;
    for (const [option, variable] of Object.entries(env.options ?? {})) {
      const value = io.env[variable]?.trim();
      if (value) config.options[option] = value;
    }
    accounts.push(config);
  }
  return accounts;
}

/**
 * The account's client: its key read from the environment variable the config names (never
 * printed), its base URL and options, and `fetch` (the pacing wrapper). A missing key is bad
 * usage, reported before any request.
 */
export function accountClient(
  io: ConfigContext,
  account: AccountConfig,
  extra: {
    fetch?: typeof fetch;
    maxRetries?: number;
    onDrift?: (report: DriftReport) => void;
  } = {},
): unknown {
  const adapter = adapterOf(account.provider);
  const apiKey = io.env[account.apiKeyEnv]?.trim();
  if (!apiKey) {
    throw new UsageError(
      `account ${account.provider}/${account.name}: its key variable (apiKeyEnv) is not set`,
    );
  }
  try {
    return adapter.createClient({
      apiKey,
      ...(account.baseUrl ? { baseUrl: account.baseUrl } : {}),
      ...account.options,
      ...extra,
    });
  } catch (error) {
    if (error instanceof InputError) {
      throw new UsageError(`account ${account.provider}/${account.name}: ${error.message}`);
    }
    throw error;
  }
}

/** The accounts a command works on: `--account` names (provider/name or name) and `--provider`. */
export function selectAccounts(
  accounts: readonly AccountConfig[],
  filter: {
    accounts?: readonly string[] | undefined;
    providers?: readonly ProviderName[] | undefined;
  },
): AccountConfig[] {
  const selected = accounts.filter(
    (a) =>
      (!filter.providers || filter.providers.includes(a.provider)) &&
      (!filter.accounts ||
        filter.accounts.includes(a.name) ||
        filter.accounts.includes(`${a.provider}/${a.name}`)),
  );
  for (const name of filter.accounts ?? []) {
    if (!accounts.some((a) => a.name === name || `${a.provider}/${a.name}` === name)) {
      throw new UsageError(`--account: no configured account is named "${name}"`);
    }
  }
  return selected;
}
