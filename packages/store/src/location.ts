import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/** Where a store is: a PostgreSQL URL, or the directory of an embedded (PGlite) store. */
export type StoreLocation =
  | { engine: "postgres"; url: string }
  | { engine: "pglite"; path: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * The store a command uses: `--db` if given, else `SPENDKIT_DB`, else the default data
 * directory `$XDG_DATA_HOME/spendkit` (`~/.local/share/spendkit` when XDG_DATA_HOME is unset or
 * not absolute, as the XDG base directory spec says). A relative path is taken from `cwd`.
 */
export function resolveLocation(
  db: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): StoreLocation {
  const given = db?.trim() || env.SPENDKIT_DB?.trim();
  if (given && POSTGRES_URL.test(given)) return { engine: "postgres", url: given };
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
