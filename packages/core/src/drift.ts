import type { FieldSchema } from "./spec.js";
import { compiled, hasType } from "./validate.js";

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
  const findings = new Findings(false);
  walk(schema, value, [], findings, 0);
  return findings.list.slice(0, MAX_REPORTS);
}

/**
 * What a walk collects: reports with their pointers, or, probing one alternative of an `anyOf`,
 * only whether there is anything at all (the first issue ends the walk, and no pointer is
 * built). The check runs on every row of every page, and most rows fit an alternative that is
 * not the first: reporting each failed attempt in full cost a ledger export of 300k rows a
 * quarter of its time.
 */
class Findings {
  readonly list: Found[] = [];
  constructor(readonly probing: boolean) {}

  get done(): boolean {
    return this.list.length >= (this.probing ? 1 : MAX_REPORTS);
  }

  add(path: readonly (string | number)[], problem: DriftProblem, expected: string): void {
    this.list.push(this.probing ? PROBED : { pointer: pointerOf(path), problem, expected });
  }
}

/** What a probe records: that something differs, not what. */
const PROBED: Found = { pointer: "", problem: "type", expected: "" };

/** Whether `value` fits `schema` wholly. */
function fits(schema: FieldSchema, value: unknown, path: (string | number)[], depth: number) {
  const probe = new Findings(true);
  walk(schema, value, path, probe, depth);
  return probe.list.length === 0;
}

/**
 * Walks `value` with its schema. The path is a stack of keys, turned into a pointer string only
 * when something is reported: a faithful page builds no strings at all.
 */
function walk(
  schema: FieldSchema,
  value: unknown,
  path: (string | number)[],
  found: Findings,
  depth: number,
): void {
  if (found.done || depth > MAX_DEPTH) return;
  if (schema.anyOf) {
    if (schema.anyOf.some((option) => fits(option, value, path, depth))) return;
    if (found.probing) {
      found.add(path, "type", "");
      return;
    }
    // None fits: the report of the closest one (fewest issues).
    let best: Found[] | undefined;
    for (const option of schema.anyOf) {
      const attempt = new Findings(false);
      walk(option, value, path, attempt, depth);
      if (!best || attempt.list.length < best.length) best = attempt.list;
    }
    found.list.push(...(best ?? []));
    return;
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    found.add(path, "type", describeType(schema.type));
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string)) {
    found.add(path, "enum", `one of ${schema.enum.join(", ")}`);
    return;
  }
  if (typeof value === "string") {
    if (schema.format && !formatHolds(schema.format, value)) {
      found.add(path, "format", schema.format);
    } else if (schema.pattern && !compiled(schema.pattern).test(value)) {
      found.add(path, "format", `matches ${schema.pattern}`);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(schema.items, value[i], path, found, depth + 1);
        path.pop();
      }
    }
    return;
  }
  if (value !== null && typeof value === "object" && schema.properties) {
    const record = value as Record<string, unknown>;
    const { properties } = schema;
    for (const name of schema.required ?? []) {
      if (!Object.hasOwn(record, name)) {
        path.push(name);
        found.add(path, "missing", "a field");
        path.pop();
      }
    }
    for (const name in record) {
      if (!Object.hasOwn(record, name)) continue;
      path.push(name);
      const field = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (field) walk(field, record[name], path, found, depth + 1);
      else if (schema.additionalProperties !== true) {
        found.add(path, "unexpected", "no such field");
      }
      path.pop();
    }
  }
}

/** RFC 6901: "/" between keys, "~" and "/" in a key escaped. */
function pointerOf(path: readonly (string | number)[]): string {
  let pointer = "";
  for (const key of path) {
    pointer += `/${typeof key === "number" ? key : key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
  }
  return pointer;
}

function describeType(type: string | string[]): string {
  return Array.isArray(type) ? type.join(" or ") : type;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;

function formatHolds(format: string, value: string): boolean {
  switch (format) {
    case "date-time":
      // The shape is enough here: whether the calendar date exists is the ledger's check.
      return DATE_TIME.test(value);
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value);
    case "int64":
      return /^-?\d{1,19}$/.test(value);
    default:
      return true;
  }
}
