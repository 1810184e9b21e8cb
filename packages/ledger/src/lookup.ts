/**
 * `table[key]` when `key` is a string naming an own property of `table`, else undefined. Every
 * table indexed by a value from a server or a user goes through this, so that "constructor" or
 * "__proto__" is an unknown key, never a function or a prototype.
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === "string" && Object.hasOwn(table, key) ? table[key] : undefined;
}
