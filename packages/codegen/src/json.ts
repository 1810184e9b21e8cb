// Comparing parsed YAML values: key order and formatting do not count.
import { isObject } from "./spec/document.js";

export function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}

/** A value as a report shows it. */
export const show = (value: unknown): string =>
  value === undefined ? "(none)" : JSON.stringify(value);
