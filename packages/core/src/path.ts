/**
 * Reads a dotted path ("pagination.total") out of a parsed JSON value: own properties only, so
 * a payload can never reach into `Object.prototype` ("constructor", "__proto__").
 */
export function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
