import type { FieldSchema } from "./spec.js";
import { hasType } from "./validate.js";

/**
 * Drift: where a response differs from what the spec says of it. Checked only when the client
 * has an `onDrift` callback, against the response schema the generator derived from the spec for
 * that status. A report says where (a JSON pointer) and what (the problem and what the spec
 * expected), never what the payload held: payloads are customer data.
 */

export type DriftProblem = "type" | "missing" | "unexpected" | "enum" | "format";

export interface DriftReport {
  provider: string;
  operationId: string;
  status: number;
  /** JSON pointer into the payload (the whole body, envelope included): "/items/0/amount_usd". */
  pointer: string;
  problem: DriftProblem;
  /** What the spec expects there: "number", "one of topup, refund", "date-time", "a field". */
  expected: string;
}

type Found = Pick<DriftReport, "pointer" | "problem" | "expected">;

/** Nesting followed at most: a payload deeper than any spec is not walked without end. */
const MAX_DEPTH = 64;
/** Reports kept per response: a wholly different payload says so in a few lines. */
const MAX_REPORTS = 100;

/** Every difference between `value` and `schema`, as pointer, problem and expectation. */
export function findDrift(schema: FieldSchema, value: unknown): Found[] {
  const found: Found[] = [];
  walk(schema, value, "", found, 0);
  return found.slice(0, MAX_REPORTS);
}

function walk(schema: FieldSchema, value: unknown, pointer: string, found: Found[], depth: number) {
  if (found.length >= MAX_REPORTS || depth > MAX_DEPTH) return;
  if (schema.anyOf) {
    // The first alternative that fits wholly; else the report of the closest one (fewest issues).
    let best: Found[] | undefined;
    for (const option of schema.anyOf) {
      const attempt: Found[] = [];
      walk(option, value, pointer, attempt, depth);
      if (attempt.length === 0) return;
      if (!best || attempt.length < best.length) best = attempt;
    }
    found.push(...(best ?? []));
    return;
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    found.push({ pointer, problem: "type", expected: describeType(schema.type) });
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string)) {
    found.push({ pointer, problem: "enum", expected: `one of ${schema.enum.join(", ")}` });
    return;
  }
  if (typeof value === "string" && schema.format && !formatHolds(schema.format, value)) {
    found.push({ pointer, problem: "format", expected: schema.format });
    return;
  }
  if (typeof value === "string" && schema.pattern && !new RegExp(schema.pattern, "u").test(value)) {
    found.push({ pointer, problem: "format", expected: `matches ${schema.pattern}` });
    return;
  }
  if (Array.isArray(value)) {
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        walk(schema.items, value[i], `${pointer}/${i}`, found, depth + 1);
      }
    }
    return;
  }
  if (value !== null && typeof value === "object" && schema.properties) {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!Object.hasOwn(record, name)) {
        found.push({
          pointer: `${pointer}/${pointerToken(name)}`,
          problem: "missing",
          expected: "a field",
        });
      }
    }
    for (const name of Object.keys(record)) {
      const field = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
      if (field) walk(field, record[name], `${pointer}/${pointerToken(name)}`, found, depth + 1);
      else if (schema.additionalProperties !== true) {
        found.push({
          pointer: `${pointer}/${pointerToken(name)}`,
          problem: "unexpected",
          expected: "no such field",
        });
      }
    }
  }
}

/** RFC 6901: "~" and "/" in a key are escaped. */
function pointerToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

function describeType(type: string | string[]): string {
  return Array.isArray(type) ? type.join(" or ") : type;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;

function formatHolds(format: string, value: string): boolean {
  switch (format) {
    case "date-time":
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value);
    case "int64":
      return /^-?\d{1,19}$/.test(value);
    default:
      return true;
  }
}
