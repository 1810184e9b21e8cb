import type { Store, StoreLocation } from "@spendkit/store";
import { loadAccounts } from "../config.js";
import { UsageError } from "./args.js";
import type { CliIO } from "./io.js";

/** The options every store command takes. */
export const STORE_OPTIONS = {
  db: { type: "string" },
  config: { type: "string" },
} as const;

const DB_HELP = `  --db PATH|URL       the store: a directory (embedded PGlite) or a postgres:// URL;
                      default: $SPENDKIT_DB, else $XDG_DATA_HOME/spendkit
                      (~/.local/share/spendkit)`;

export const STORE_HELP = `${DB_HELP}
  --config FILE       the accounts (default: ./spendkit.config.json if it exists, else one
                      account per provider whose key variable is set)`;

/** The store options of export and audit, which read the store only and call no API. */
export const READ_STORE_HELP = `${DB_HELP}
  --config FILE       only the accounts of this file; without it, every account in the
                      store (no key is read)`;

/**
 * The accounts a read-only command is limited to: those of an explicit `--config` file, or
 * every stored account without one. The default config (the file in the working directory, or
 * the key variables) is not applied here: reading a store needs no key, and an export should
 * not change with the shell it runs in.
 */
export interface AccountScope {
  providers: string[];
  accounts: string[];
  includes(provider: string, account: string): boolean;
}

export function accountScope(io: CliIO, configFlag: string | undefined): AccountScope | undefined {
  if (configFlag === undefined) return undefined;
  const configured = loadAccounts(io, configFlag);
  const keys = new Set(configured.map((a) => `${a.provider}/${a.name}`));
  return {
    providers: [...new Set(configured.map((a) => a.provider))],
    accounts: [...new Set(configured.map((a) => a.name))],
    includes: (provider, account) => keys.has(`${provider}/${account}`),
  };
}

/**
 * The store query narrows by provider and by account name separately; `scope` keeps the exact
 * (provider, account) pairs of the config file.
 */
export async function* withinScope<T extends { provider: string; account: string }>(
  batches: AsyncIterable<T[]>,
  scope: AccountScope | undefined,
): AsyncGenerator<T[]> {
  for await (const batch of batches) {
    yield scope ? batch.filter((row) => scope.includes(row.provider, row.account)) : batch;
  }
}

/** A `--provider` or `--account` list narrowed to the config's (all of the config's without one). */
export function narrow<T extends string>(
  flag: readonly T[] | undefined,
  scope: readonly T[] | undefined,
): T[] | undefined {
  if (!scope) return flag ? [...flag] : undefined;
  return flag ? scope.filter((item) => flag.includes(item)) : [...scope];
}

export type StoreModule = typeof import("@spendkit/store");

/**
 * Loads @spendkit/store. The import is dynamic so that users of the ledger alone (and the
 * commands without a store) never load it, nor a database engine.
 */
export function loadStore(): Promise<StoreModule> {
  return import("@spendkit/store");
}

/**
 * Where the store named by `flag` is (`value`, else SPENDKIT_DB in `env`, else the default
 * directory): a postgres:// URL that cannot be parsed is a usage error, before anything connects.
 */
export function cliLocation(
  module: StoreModule,
  flag: string,
  value: string | undefined,
  env: CliIO["env"],
  cwd: string,
): StoreLocation {
  try {
    return module.resolveLocation(value, env, cwd);
  } catch (error) {
    if (error instanceof module.StoreError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** Opens the store of `--db` (or SPENDKIT_DB, or the default directory). */
export async function openCliStore(
  io: CliIO,
  module: StoreModule,
  db: string | undefined,
): Promise<Store> {
  if (db === "") throw new UsageError("--db: give a directory or a postgres:// URL");
  return module.openStore(cliLocation(module, "--db", db, io.env, io.cwd));
}

/** Runs `fn` with the store open, and closes it after (also when `fn` throws). */
export async function withStore<T>(
  io: CliIO,
  db: string | undefined,
  fn: (store: Store, module: StoreModule) => Promise<T>,
): Promise<T> {
  const module = await loadStore();
  const store = await openCliStore(io, module, db);
  try {
    return await fn(store, module);
  } finally {
    await store.close();
  }
}
