import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { StoreError } from "./errors.js";

/** Where a store is: a PostgreSQL URL, or the directory of an embedded (PGlite) store. */
export type StoreLocation =
  | { engine: "postgres"; url: string }
  | { engine: "pglite"; path: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * The store a command uses: `--db` if given, else `SPENDKIT_DB`, else the default data
 * directory `$XDG_DATA_HOME/spendkit` (`~/.local/share/spendkit` when XDG_DATA_HOME is unset or
 * not absolute, as the XDG base directory spec says). A relative path is taken from `cwd`.
 * A postgres:// URL that cannot be parsed is a StoreError (its text is not repeated: it may hold
 * a password).
 */
export function resolveLocation(
  db: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): StoreLocation {
  const given = db?.trim() || env.SPENDKIT_DB?.trim();
  if (given && POSTGRES_URL.test(given)) {
    // Checked here, before anything connects: the driver's own refusal is a bare TypeError.
    if (!URL.canParse(given)) {
      throw new StoreError(
        "the postgres:// URL cannot be parsed: write it as postgres://user:password@host:port/database, " +
          "with any @, :, / or # in the user name or password percent-encoded",
      );
    }
    return { engine: "postgres", url: given };
  }
  if (given) return { engine: "pglite", path: resolve(cwd, given) };
  return { engine: "pglite", path: defaultDataDir(env) };
}

export function defaultDataDir(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_DATA_HOME?.trim();
  const base =
    xdg && isAbsolute(xdg) ? xdg : join(env.HOME?.trim() || homedir(), ".local", "share");
  return join(base, "spendkit");
}

/** A location for messages: a URL's password is never printed. */
export function describeLocation(location: StoreLocation): string {
  if (location.engine === "pglite") return location.path;
  try {
    const url = new URL(location.url);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}
