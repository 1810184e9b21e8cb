import { InputError } from "./errors.js";
import { MAX_DELAY } from "./retry.js";
import type { FieldSchema, OperationSpec, WindowSpec } from "./spec.js";

/**
 * Checks the options of a call (or of `.all()`, or the shared ones of a client) before anything
 * is sent: `timeout`, `totalTimeout`, `maxRetries`, `signal`, `headers`, `concurrency`,
 * `maxPages`.
 */
export function checkOptions(options: unknown, what = "options"): void {
  if (options === null || typeof options !== "object") {
    throw new InputError("", "type", `${what} must be an object`);
  }
  const { timeout, totalTimeout, maxRetries, signal, headers, concurrency, maxPages } =
    options as Record<string, any>;
  checkCount("timeout", timeout, 1, MAX_DELAY, false);
  checkCount("totalTimeout", totalTimeout, 1, MAX_DELAY, false);
  checkCount("maxRetries", maxRetries, 0);
  checkCount("concurrency", concurrency, 1);
  checkCount("maxPages", maxPages, 1);
  if (signal != null && typeof signal.addEventListener !== "function") {
    throw new InputError("signal", "type", "must be an AbortSignal");
  }
  checkHeaders(headers);
}

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space and tab: a value no runtime rejects and no server splits. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * Header names and values are checked here, because a runtime rejects a bad one with a message
 * that quotes it (and it may be a credential), and a CR or LF would split the request. The
 * messages name the header, never its value.
 */
function checkHeaders(headers: unknown): void {
  if (headers === undefined) return;
  if (headers === null || typeof headers !== "object" || Array.isArray(headers)) {
    throw new InputError("headers", "type", "must be an object of header names and values");
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      throw new InputError("headers", "format", "has a header name that is not an HTTP token");
    }
    if (typeof value !== "string") {
      throw new InputError(`headers.${name}`, "type", "must be a string");
    }
    if (!HEADER_VALUE.test(value)) {
      throw new InputError(
        `headers.${name}`,
        "format",
        "must be printable ASCII (no CR, LF or other control characters, no non-ASCII)",
      );
    }
  }
}

/** An optional number from `min` to `max` (an integer unless `integer` is false). */
export function checkCount(
  field: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  integer = true,
): void {
  if (value === undefined) return;
  if (typeof value !== "number" || (integer ? !Number.isSafeInteger(value) : Number.isNaN(value))) {
    throw new InputError(field, "type", `must be ${integer ? "a safe integer" : "a number"}`);
  }
  if (value < min) throw new InputError(field, "minimum", `must be at least ${min}, got ${value}`);
  if (value > max) throw new InputError(field, "maximum", `must be at most ${max}, got ${value}`);
}

/**
 * Checks a call's flat input against the constraints the spec declares, so that bad input
 * fails here with the field and the rule named, and the server never sees it. Returns the input
 * to send: the same object, or a copy in which every JavaScript `Date` given for a time field is
 * written the way that field's schema accepts (see `dateFor`).
 */
export function validateInput(
  operationId: string,
  input: unknown,
  operation: OperationSpec,
): Record<string, unknown> {
  const { input: schema, window } = operation;
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new InputError("", "type", `${operationId} takes one object of named fields`);
  }
  const known = schema.properties ?? {};
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(known, key)) {
      const names = Object.keys(known);
      const hint = names.length ? `; it takes ${names.join(", ")}` : "; it takes no fields";
      throw new InputError(key, "unknown", `is not a field of ${operationId}${hint}`);
    }
  }
  const instants = new Set(window ? [window.start, window.end] : []);
  if (operation.pagination?.windowEnd) instants.add(operation.pagination.windowEnd);
  const sent = withDates(input, schema, "", instants) as Record<string, unknown>;
  check(sent, schema, "");
  for (const [name, location] of Object.entries(operation.in)) {
    const value = sent[name];
    if (location === "path" && value !== undefined) checkPathSegment(name, value);
  }
  if (window) checkWindow(sent, window);
  return sent;
}

/** The pattern of a field that holds milliseconds since the Unix epoch as a string of digits. */
const EPOCH_MS = "^[0-9]+$";

/**
 * A `Date` as the text a time field takes: an RFC 3339 date-time (UTC, to the millisecond), a
 * date (its UTC day), or epoch milliseconds, whichever the field's schema (or, for a field that
 * accepts several forms, its first alternative that is one of these) declares. A string of
 * digits is read as epoch milliseconds only in a field the spec names as a time-window bound
 * (`instant`): elsewhere it is just an integer, such as an amount of cents. A `Date` given for a
 * field that is none of these is left as it is, for `check` to reject.
 */
function dateFor(value: Date, schema: FieldSchema, at: string, instant: boolean): unknown {
  for (const option of [schema, ...(schema.anyOf ?? [])]) {
    const form =
      option.format === "date-time" || option.format === "date" || option.format === "unix-seconds"
        ? option.format
        : instant && option.pattern === EPOCH_MS
          ? "epoch-ms"
          : undefined;
    if (!form) continue;
    const ms = value.getTime();
    if (Number.isNaN(ms))
      throw new InputError(at, "format", "must be a valid Date, got an Invalid Date");
    if (form === "epoch-ms" || form === "unix-seconds") {
      if (ms < 0) throw new InputError(at, "minimum", "must be a Date after 1970-01-01");
      // Whole seconds, rounded down: a window's bounds fall on the second they are in.
      return form === "epoch-ms" ? String(ms) : Math.floor(ms / 1000);
    }
    const text = value.toISOString();
    return form === "date" ? text.slice(0, 10) : text;
  }
  return value;
}

/**
 * `value` with the Dates in its time fields written out; the same object when there are none.
 * `instants` names the top-level fields that bound a time window.
 */
function withDates(
  value: unknown,
  schema: FieldSchema,
  at: string,
  instants: ReadonlySet<string> = NO_INSTANTS,
): unknown {
  if (value instanceof Date) return dateFor(value, schema, at, instants.has(at));
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return value;
    const out = value.map((item, index) => withDates(item, items, `${at}[${index}]`));
    return out.some((item, index) => item !== value[index]) ? out : value;
  }
  if (value === null || typeof value !== "object" || !schema.properties) return value;
  let copy: Record<string, unknown> | undefined;
  const { properties } = schema;
  for (const name in properties) {
    if (!Object.hasOwn(value, name)) continue;
    const field = (value as Record<string, unknown>)[name];
    // Only an object (a Date, an array, a record) can be or hold a Date.
    if (field === null || typeof field !== "object") continue;
    const fieldSchema = properties[name]!;
    const written = withDates(field, fieldSchema, join(at, name), at === "" ? instants : undefined);
    if (written !== field) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[name] = written;
    }
  }
  return copy ?? value;
}

const NO_INSTANTS: ReadonlySet<string> = new Set();

/**
 * A value that fills a path segment (a path parameter, or a client option such as xAI's
 * `teamId`): a non-empty string that is not a dot segment. URL encoding escapes "/" but leaves
 * "." and "..", which the URL parser then resolves: `/teams/../invoices` is another endpoint.
 */
export function checkPathSegment(field: string, value: unknown): void {
  // Strings only, as the specs declare them: a number from untyped code is not quietly turned
  // into a segment, and an object or array never becomes "[object Object]" or "a,b".
  if (typeof value !== "string") {
    throw new InputError(field, "type", "must be a string");
  }
  if (value === "" || value === "." || value === "..") {
    throw new InputError(field, "format", "must be a non-empty path segment other than . or ..");
  }
}

function check(value: unknown, schema: FieldSchema, at: string): void {
  if (schema.anyOf) {
    const failures: InputError[] = [];
    for (const option of schema.anyOf) {
      try {
        check(value, option, at);
        break;
      } catch (error) {
        failures.push(error as InputError);
      }
    }
    if (failures.length === schema.anyOf.length) {
      throw failures[0] ?? new InputError(at, "anyOf", "matches none of the allowed shapes");
    }
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    throw new InputError(
      at,
      "type",
      `must be ${describeType(schema.type)}, got ${typeName(value)}`,
    );
  }
  if (schema.enum && !schema.enum.includes(value as string)) {
    const allowed = schema.enum.map((v) => JSON.stringify(v)).join(", ");
    throw new InputError(at, "enum", `must be one of ${allowed}, got ${JSON.stringify(value)}`);
  }
  if (typeof value === "number") checkNumber(value, schema, at);
  if (typeof value === "string") checkString(value, schema, at);
  if (Array.isArray(value)) checkArray(value, schema, at);
  else if (value !== null && typeof value === "object") checkObject(value, schema, at);
}

function checkNumber(value: number, schema: FieldSchema, at: string): void {
  if (schema.minimum !== undefined && value < schema.minimum) {
    throw new InputError(at, "minimum", `must be at least ${schema.minimum}, got ${value}`);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    throw new InputError(at, "maximum", `must be at most ${schema.maximum}, got ${value}`);
  }
}

function checkString(value: string, schema: FieldSchema, at: string): void {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    throw new InputError(at, "minLength", `must be at least ${schema.minLength} characters`);
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    throw new InputError(at, "maxLength", `must be at most ${schema.maxLength} characters`);
  }
  if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) {
    throw new InputError(
      at,
      "pattern",
      `must match ${schema.pattern}, got ${JSON.stringify(value)}`,
    );
  }
  if (schema.format === "date-time" && !isDateTime(value)) {
    throw new InputError(
      at,
      "format",
      `must be an RFC 3339 date-time such as 2026-05-01T00:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  if (schema.format === "date" && !isDate(value)) {
    throw new InputError(
      at,
      "format",
      `must be a date such as 2026-05-01, got ${JSON.stringify(value)}`,
    );
  }
}

/** Patterns compiled once: every call (and every row a drift check walks) tests the same few. */
const PATTERNS = new Map<string, RegExp>();

export function compiled(pattern: string): RegExp {
  let regex = PATTERNS.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, "u");
    PATTERNS.set(pattern, regex);
  }
  return regex;
}

function checkArray(value: unknown[], schema: FieldSchema, at: string): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    throw new InputError(at, "minItems", `must have at least ${schema.minItems} items`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    throw new InputError(at, "maxItems", `must have at most ${schema.maxItems} items`);
  }
  if (schema.items) {
    const items = schema.items;
    for (const [index, item] of value.entries()) check(item, items, `${at}[${index}]`);
  }
}

function checkObject(value: object, schema: FieldSchema, at: string): void {
  const record = value as Record<string, unknown>;
  for (const name of schema.required ?? []) {
    if (record[name] === undefined) {
      throw new InputError(join(at, name), "required", "is required");
    }
  }
  const { properties } = schema;
  for (const name in properties) {
    if (record[name] !== undefined) check(record[name], properties[name]!, join(at, name));
  }
}

function checkWindow(input: Record<string, unknown>, window: WindowSpec): void {
  const start = input[window.start];
  const end = input[window.end];
  if (start === undefined || end === undefined) return;
  if (instant(start) >= instant(end)) {
    throw new InputError(window.start, "window", `must be before ${window.end}`);
  }
}

/** Milliseconds since the epoch of a date-time, date or epoch-milliseconds value. */
export function instant(value: unknown): number {
  if (typeof value === "number") return value;
  const text = String(value);
  return /^[0-9]+$/.test(text) ? Number(text) : Date.parse(text);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) && isDate(value.slice(0, 10));
}

function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Whether a JSON value is of a JSON Schema type (integers: safe integers only). */
export function hasType(value: unknown, type: string | string[]): boolean {
  return Array.isArray(type) ? type.some((t) => isOfType(value, t)) : isOfType(value, type);
}

function isOfType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      // Beyond 2^53 a number no longer says which integer it is.
      return Number.isSafeInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function describeType(type: string | string[]): string {
  const names = Array.isArray(type) ? type : [type];
  return names
    .map((t) => (t === "integer" ? "an integer" : `a${/^[aeiou]/.test(t) ? "n" : ""} ${t}`))
    .join(" or ");
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return "an integer beyond the safe range";
  }
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value === "number" && !Number.isInteger(value) ? `${value}` : typeof value;
}

function join(at: string, name: string): string {
  return at ? `${at}.${name}` : name;
}
