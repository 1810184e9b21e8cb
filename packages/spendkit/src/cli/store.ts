import type { Store } from "@spendkit/store";
import { UsageError } from "./args.js";
import type { CliIO } from "./io.js";

/** The options every store command takes. */
export const STORE_OPTIONS = {
  db: { type: "string" },
  config: { type: "string" },
} as const;

export const STORE_HELP = `  --db PATH|URL       the store: a directory (embedded PGlite) or a postgres:// URL;
                      default: $SPENDKIT_DB, else $XDG_DATA_HOME/spendkit
                      (~/.local/share/spendkit)
  --config FILE       the accounts (default: ./spendkit.config.json if it exists, else one
                      account per provider whose key variable is set); export and audit
                      read only the store and accept it for symmetry`;

export type StoreModule = typeof import("@spendkit/store");

/**
 * Loads @spendkit/store. The import is dynamic so that users of the ledger alone (and the
 * commands without a store) never load it, nor a database engine.
 */
export function loadStore(): Promise<StoreModule> {
  return import("@spendkit/store");
}

/** Opens the store of `--db` (or SPENDKIT_DB, or the default directory). */
export async function openCliStore(
  io: CliIO,
  module: StoreModule,
  db: string | undefined,
): Promise<Store> {
  if (db === "") throw new UsageError("--db: give a directory or a postgres:// URL");
  return module.openStore(module.resolveLocation(db, io.env, io.cwd));
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
