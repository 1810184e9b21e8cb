// Classifies the changes between two versions of a provider spec by what they mean to someone
// who upgrades the generated package (its TypeScript API and its runtime behaviour), and turns
// the result into a changeset.
//
//   major  something a user's code may rely on is gone or stricter: a removed operation, input
//          field, response field or enum value; a newly required input; a narrowed input
//          constraint (smaller maximum, new pattern, ...); a response field that may now be null
//          or absent; a renamed factory or client option.
//   minor  something was added: an operation, an optional input field, a response field, an enum
//          value; a widened input constraint; a runtime behaviour change (retry safety,
//          pagination, default base URL).
//   patch  documentation only (descriptions, summaries, examples, titles, tags), and changes the
//          generated client's API cannot see (error responses, response headers, constraints that
//          only describe returned values, unused components).
//   none   the parsed documents are equal (formatting and comments do not count).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { deref, operationsOf } from "./specs.mjs";

export const LEVELS = ["none", "patch", "minor", "major"];
const rank = (level) => LEVELS.indexOf(level);
export const maxLevel = (levels) => levels.reduce((a, b) => (rank(b) > rank(a) ? b : a), "none");

/** Keys whose values are documentation: they never change what the client does. */
const DOC_KEYS = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "externalDocs",
  "termsOfService",
  "contact",
  "x-logo",
]);
/** Lowering an upper bound, or raising a lower bound, accepts less input. */
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
/** Constraints that can only be compared as "added, removed or changed". */
const OTHER_CONSTRAINTS = ["pattern", "format", "multipleOf", "uniqueItems"];
const MAX_DEPTH = 24;

/**
 * Compares two parsed OpenAPI documents (either may be null: a new or a deleted spec).
 * Returns `{ level, changes: [{ level, subject, message }] }`, changes ordered by level.
 */
export function diffSpecs(oldDoc, newDoc) {
  if (oldDoc == null && newDoc == null) return { level: "none", changes: [] };
  if (equal(oldDoc, newDoc)) return { level: "none", changes: [] };
  const changes = [];
  const add = (level, subject, message) => changes.push({ level, subject, message });

  if (oldDoc == null) {
    add("minor", "spec", "new spec: a new package");
    for (const op of operationMap(newDoc).values())
      add("minor", op.id, `operation added (${op.label})`);
    return result(changes);
  }
  if (newDoc == null) {
    add("major", "spec", "spec deleted: every operation is gone");
    return result(changes);
  }

  compareRoot(oldDoc, newDoc, add);
  compareOperations(oldDoc, newDoc, add);
  compareDocs(oldDoc, newDoc, [], add);
  if (changes.length === 0) {
    // Not equal, yet nothing the client reads differs: name where, so a reviewer can check.
    const paths = diffPaths(stripDocs(oldDoc), stripDocs(newDoc), []).slice(0, 10);
    for (const path of paths) {
      add("patch", formatPath(path), "changed; the generated client does not read it");
    }
  }
  return result(changes);
}

function result(changes) {
  changes.sort((a, b) => rank(b.level) - rank(a.level));
  return { level: maxLevel(changes.map((c) => c.level)), changes };
}

// ── the document root: package identity, base URL, runtime extensions ──────────────────────────

function compareRoot(a, b, add) {
  const xa = a["x-spendkit"] ?? {};
  const xb = b["x-spendkit"] ?? {};
  if (xa.name !== xb.name)
    add("major", "x-spendkit.name", `package renamed from "${xa.name}" to "${xb.name}"`);
  if (xa.factory !== xb.factory) {
    add("major", "x-spendkit.factory", `factory ${xa.factory} renamed to ${xb.factory}`);
  }
  if (!equal(xa.envelope, xb.envelope)) {
    add(
      "major",
      "x-spendkit.envelope",
      "the response envelope changed (what methods return, or what counts as success)",
    );
  }
  if (!equal(xa.error, xb.error)) {
    add("minor", "x-spendkit.error", "errors are read from other fields of the error body");
  }
  const ca = xa.clientParams ?? {};
  const cb = xb.clientParams ?? {};
  for (const [param, spec] of Object.entries(ca)) {
    if (!cb[param]) add("major", "client options", `option ${spec.option} (${param}) removed`);
    else if (cb[param].option !== spec.option) {
      add("major", "client options", `option ${spec.option} renamed to ${cb[param].option}`);
    } else if (!equal(spec, cb[param])) {
      add("minor", "client options", `how ${spec.option} is discovered changed`);
    }
  }
  for (const [param, spec] of Object.entries(cb)) {
    if (!ca[param]) add("minor", "client options", `option ${spec.option} (${param}) added`);
  }
  const urlA = a.servers?.[0]?.url;
  const urlB = b.servers?.[0]?.url;
  if (urlA !== urlB) add("minor", "servers", `default base URL changed from ${urlA} to ${urlB}`);
  if (
    !equal(a.security, b.security) ||
    !equal(
      stripDocs(a.components?.securitySchemes, ["components", "securitySchemes"]),
      stripDocs(b.components?.securitySchemes, ["components", "securitySchemes"]),
    )
  ) {
    add("minor", "security", "authentication changed");
  }
}

// ── operations ─────────────────────────────────────────────────────────────────────────────────

function operationMap(doc) {
  const map = new Map();
  for (const [path, method, operation, pathItem] of operationsOf(doc)) {
    const label = `${method.toUpperCase()} ${path}`;
    // A missing or (invalid) repeated operationId: keyed by the endpoint instead.
    const id =
      operation.operationId && !map.has(operation.operationId) ? operation.operationId : label;
    map.set(id, { id, label, method, path, operation, pathItem });
  }
  return map;
}

function compareOperations(oldDoc, newDoc, add) {
  const before = operationMap(oldDoc);
  const after = operationMap(newDoc);
  for (const [id, op] of before) {
    if (!after.has(id)) add("major", id, `operation removed (${op.label})`);
  }
  for (const [id, op] of after) {
    if (!before.has(id)) add("minor", id, `operation added (${op.label})`);
  }
  for (const [id, a] of before) {
    const b = after.get(id);
    if (!b) continue;
    const ctx = { oldDoc, newDoc, subject: id, add };
    if (a.label !== b.label) add("patch", id, `endpoint moved from ${a.label} to ${b.label}`);
    compareBehaviour(ctx, a, b);
    compareInputs(ctx, a, b);
    compareResponses(ctx, a, b);
  }
}

function compareBehaviour({ subject, add }, a, b) {
  const safe = (op) => op.operation["x-spendkit-retry-safe"] ?? ["get", "head"].includes(op.method);
  if (safe(a) !== safe(b)) {
    add(
      "minor",
      subject,
      safe(b) ? "now retried automatically" : "no longer retried automatically",
    );
  }
  const pa = a.operation["x-spendkit-pagination"];
  const pb = b.operation["x-spendkit-pagination"];
  if (pa && !pb) add("major", subject, ".all() removed (no longer paginated)");
  else if (!pa && pb) add("minor", subject, ".all() added (now paginated)");
  else if (!equal(pa, pb)) add("minor", subject, "pagination changed");
  const wa = a.operation["x-spendkit-window"];
  const wb = b.operation["x-spendkit-window"];
  if (!equal(wa, wb)) add("minor", subject, "time-window validation changed");
}

/** The flat method input, as the generator builds it: path, query and body fields by name. */
function inputsOf(doc, op) {
  const clientFilled = new Set(Object.keys(doc["x-spendkit"]?.clientParams ?? {}));
  const fields = new Map();
  const parameters = new Map();
  for (const p of [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])]) {
    const parameter = resolve(doc, p);
    parameters.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  for (const parameter of parameters.values()) {
    const header = parameter.in === "header" || parameter.in === "cookie";
    fields.set(header ? `${parameter.in} ${parameter.name}` : parameter.name, {
      in: parameter.in,
      required:
        !clientFilled.has(parameter.name) && (parameter.in === "path" || !!parameter.required),
      schema: parameter.schema ?? {},
    });
  }
  const body = resolve(doc, op.operation.requestBody);
  if (body && Object.keys(body).length) {
    const content = body.content ?? {};
    const raw = content["application/json"]?.schema ?? Object.values(content)[0]?.schema ?? {};
    const schema = flatten(doc, raw);
    if (schema.properties) {
      const required = new Set(schema.required ?? []);
      for (const [name, property] of Object.entries(schema.properties)) {
        fields.set(name, {
          in: "body",
          required: required.has(name) && body.required !== false && !clientFilled.has(name),
          schema: property,
        });
      }
    } else {
      fields.set("(body)", { in: "body", required: body.required === true, schema: raw });
    }
  }
  return fields;
}

function compareInputs(ctx, a, b) {
  const { subject, add } = ctx;
  const before = inputsOf(ctx.oldDoc, a);
  const after = inputsOf(ctx.newDoc, b);
  for (const [name] of before) {
    if (!after.has(name)) add("major", subject, `input field \`${name}\` removed`);
  }
  for (const [name, field] of after) {
    if (before.has(name)) continue;
    if (field.required) add("major", subject, `new required input field \`${name}\``);
    else add("minor", subject, `new optional input field \`${name}\``);
  }
  for (const [name, fa] of before) {
    const fb = after.get(name);
    if (!fb) continue;
    if (!fa.required && fb.required)
      add("major", subject, `input field \`${name}\` is now required`);
    if (fa.required && !fb.required)
      add("minor", subject, `input field \`${name}\` is now optional`);
    if (fa.in !== fb.in)
      add("patch", subject, `input field \`${name}\` moved from ${fa.in} to ${fb.in}`);
    compareSchema(ctx, fa.schema, fb.schema, `input \`${name}\``, "input");
  }
}

function successResponse(doc, operation) {
  const responses = operation.responses ?? {};
  const code = Object.keys(responses)
    .filter((c) => /^2/.test(c))
    .sort()[0];
  if (!code) return undefined;
  const response = resolve(doc, responses[code]);
  const content = response.content ?? {};
  const schema = content["application/json"]?.schema ?? Object.values(content)[0]?.schema;
  return { code, schema };
}

function compareResponses(ctx, a, b) {
  const { subject, add } = ctx;
  const ra = successResponse(ctx.oldDoc, a.operation);
  const rb = successResponse(ctx.newDoc, b.operation);
  if (ra && rb && ra.code !== rb.code)
    add("patch", subject, `success status ${ra.code} → ${rb.code}`);
  if (ra?.schema && !rb?.schema) add("major", subject, "the response body was removed");
  else if (!ra?.schema && rb?.schema) add("minor", subject, "the response now has a body");
  else if (ra?.schema && rb?.schema) compareSchema(ctx, ra.schema, rb.schema, "response", "output");
  const errors = (op) => Object.keys(op.operation.responses ?? {}).filter((c) => !/^2/.test(c));
  const ea = errors(a);
  const eb = errors(b);
  for (const code of eb.filter((c) => !ea.includes(c)))
    add("patch", subject, `documents a new ${code} response`);
  for (const code of ea.filter((c) => !eb.includes(c)))
    add("patch", subject, `no longer documents a ${code} response`);
}

// ── schemas ────────────────────────────────────────────────────────────────────────────────────

/**
 * Compares the schema of one value. `direction` is "input" (what the user sends: accepting
 * less is breaking) or "output" (what the user reads: losing or loosening fields is breaking).
 */
function compareSchema(ctx, oldNode, newNode, where, direction, seen = new Set(), depth = 0) {
  if (depth > MAX_DEPTH) return;
  if (oldNode?.$ref || newNode?.$ref) {
    const key = `${oldNode?.$ref}|${newNode?.$ref}`;
    if (seen.has(key)) return;
    seen = new Set(seen).add(key);
  }
  const a = shape(ctx.oldDoc, oldNode);
  const b = shape(ctx.newDoc, newNode);
  if (a.ref || b.ref) {
    // A nullable `oneOf: [null, {$ref}]` collapsed to its $ref: guard recursion through it too.
    const key = `${a.ref}|${b.ref}`;
    if (seen.has(key)) return;
    seen = new Set(seen).add(key);
  }
  const input = direction === "input";
  const report = (level, message) => ctx.add(level, ctx.subject, `${where}: ${message}`);
  const recurse = (x, y, at) => compareSchema(ctx, x, y, at, direction, seen, depth + 1);

  // Types.
  const ta = typesOf(a);
  const tb = typesOf(b);
  if (ta || tb) {
    const widened = !tb || (ta && subset(ta, tb));
    const narrowed = !ta || (tb && subset(tb, ta));
    if (!(widened && narrowed)) {
      const text = `type ${typeText(ta)} → ${typeText(tb)}`;
      const gained = tb && ta ? [...tb].filter((t) => !subset(new Set([t]), ta)) : [];
      const mayBe = gained.length ? ` (may now be ${gained.join(" or ")})` : "";
      if (widened) report(input ? "minor" : "major", `${text}${input ? " (accepts more)" : mayBe}`);
      else if (narrowed) report(input ? "major" : "minor", text);
      else {
        report("major", text);
        return;
      }
    }
  }

  // Enums (and const).
  const ea = enumOf(a.schema);
  const eb = enumOf(b.schema);
  if (ea && eb) {
    for (const v of ea) if (!eb.includes(v)) report("major", `enum value ${v} removed`);
    for (const v of eb) if (!ea.includes(v)) report("minor", `enum value ${v} added`);
  } else if (ea && !eb) {
    report(input ? "minor" : "major", "no longer limited to a fixed set of values");
  } else if (!ea && eb) {
    report(input ? "major" : "minor", `now limited to ${eb.join(", ")}`);
  }

  // Constraints: they restrict what a user may send; on output they only describe values.
  for (const [keyword, loosens] of [
    ...UPPER_BOUNDS.map((k) => [k, (x, y) => y > x]),
    ...LOWER_BOUNDS.map((k) => [k, (x, y) => y < x]),
    ...OTHER_CONSTRAINTS.map((k) => [k, () => false]),
  ]) {
    const x = a.schema[keyword];
    const y = b.schema[keyword];
    if (equal(x, y)) continue;
    let widened;
    let text;
    if (x === undefined) [widened, text] = [false, `${keyword} ${show(y)} added`];
    else if (y === undefined) [widened, text] = [true, `${keyword} ${show(x)} removed`];
    else if (typeof x === "number" && typeof y === "number") {
      widened = loosens(x, y);
      text = `${keyword} ${y > x ? "raised" : "lowered"} from ${x} to ${y}`;
    } else [widened, text] = [false, `${keyword} changed from ${show(x)} to ${show(y)}`];
    if (!input) report("patch", `${text} (describes returned values)`);
    else report(widened ? "minor" : "major", `${text} (${widened ? "accepts more" : "narrowed"})`);
  }
  if (!equal(a.schema.default, b.schema.default)) {
    report("patch", `default ${show(a.schema.default)} → ${show(b.schema.default)}`);
  }
  if (!!a.schema.deprecated !== !!b.schema.deprecated) {
    report("patch", b.schema.deprecated ? "deprecated" : "no longer deprecated");
  }

  // Object properties.
  const pa = a.schema.properties;
  const pb = b.schema.properties;
  if (pa || pb) {
    const propsA = pa ?? {};
    const propsB = pb ?? {};
    const reqA = new Set(a.schema.required ?? []);
    const reqB = new Set(b.schema.required ?? []);
    const field = (name) => `${where}.${name}`;
    for (const name of Object.keys(propsA)) {
      if (!(name in propsB)) ctx.add("major", ctx.subject, `${field(name)}: removed`);
    }
    for (const name of Object.keys(propsB)) {
      if (name in propsA) continue;
      if (input && reqB.has(name))
        ctx.add("major", ctx.subject, `${field(name)}: new required field`);
      else ctx.add("minor", ctx.subject, `${field(name)}: new ${input ? "optional " : ""}field`);
    }
    for (const name of Object.keys(propsA)) {
      if (!(name in propsB)) continue;
      const was = reqA.has(name);
      const is = reqB.has(name);
      if (was !== is) {
        const level = input ? (is ? "major" : "minor") : is ? "minor" : "major";
        const text = input
          ? is
            ? "now required"
            : "now optional"
          : is
            ? "now always present"
            : "may now be absent";
        ctx.add(level, ctx.subject, `${field(name)}: ${text}`);
      }
      recurse(propsA[name], propsB[name], field(name));
    }
  }
  const aa = a.schema.additionalProperties;
  const ab = b.schema.additionalProperties;
  if (aa && ab && typeof aa === "object" && typeof ab === "object") recurse(aa, ab, `${where}{}`);
  else if (!equal(aa, ab) && input) {
    const closes = ab === false;
    report(
      closes ? "major" : "minor",
      closes ? "no longer accepts other properties" : "accepts other properties",
    );
  }

  // Array items.
  if (a.schema.items || b.schema.items)
    recurse(a.schema.items ?? {}, b.schema.items ?? {}, `${where}[]`);

  // Unions of several shapes, matched by position.
  const va = a.variants;
  const vb = b.variants;
  if (va.length > 1 || vb.length > 1) {
    for (let i = 0; i < Math.min(va.length, vb.length); i++) {
      recurse(va[i], vb[i], `${where} (variant ${i + 1})`);
    }
    for (let i = vb.length; i < va.length; i++) report("major", `variant ${i + 1} removed`);
    for (let i = va.length; i < vb.length; i++) report("minor", `variant ${i + 1} added`);
  }
}

/**
 * A schema with $refs and allOf resolved, and its nullability and union made explicit:
 * `oneOf: [{type: "null"}, X]` (or `anyOf`) is X, nullable.
 */
function shape(doc, node) {
  let schema = flatten(doc, node ?? {});
  let nullable = schema.nullable === true;
  let variants = [];
  let ref;
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const rest = alternatives.filter((alt) => !isNullOnly(flatten(doc, alt)));
    if (rest.length < alternatives.length) nullable = true;
    const { oneOf: _o, anyOf: _a, ...own } = schema;
    if (rest.length === 1) {
      const inner = shape(doc, rest[0]);
      schema = { ...own, ...inner.schema };
      nullable ||= inner.nullable;
      variants = inner.variants;
      ref = rest[0].$ref ?? inner.ref;
    } else {
      schema = own;
      variants = rest;
    }
  }
  return { schema, nullable, variants, doc, ref };
}

function isNullOnly(schema) {
  return (
    schema.type === "null" || (Array.isArray(schema.type) && schema.type.every((t) => t === "null"))
  );
}

function typesOf({ schema, nullable, variants, doc }) {
  let types;
  if (schema.type) types = new Set([schema.type].flat());
  else if (schema.enum) types = new Set(schema.enum.map(jsonType));
  else if (schema.const !== undefined) types = new Set([jsonType(schema.const)]);
  else if (schema.properties) types = new Set(["object"]);
  else if (schema.items) types = new Set(["array"]);
  else if (variants.length > 1) {
    types = new Set();
    for (const variant of variants) {
      const inner = typesOf(shape(doc, variant));
      if (!inner) return null;
      for (const t of inner) types.add(t);
    }
  } else return null;
  if (nullable) types.add("null");
  return types;
}

const jsonType = (v) =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "array"
      : typeof v === "number" && Number.isInteger(v)
        ? "integer"
        : typeof v;
const subset = (a, b) => [...a].every((t) => b.has(t) || (t === "integer" && b.has("number")));
const typeText = (types) => (types ? [...types].join(" | ") : "any");

function enumOf(schema) {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v));
  if (schema.const !== undefined) return [JSON.stringify(schema.const)];
  return undefined;
}

function resolve(doc, node) {
  if (!node) return node;
  try {
    return deref(doc, node) ?? {};
  } catch {
    return {};
  }
}

/** $refs followed and allOf merged into one schema (the schema's own keywords win). */
function flatten(doc, node, depth = 0) {
  const schema = resolve(doc, node) ?? {};
  if (!schema.allOf || depth > MAX_DEPTH) return schema;
  const { allOf, ...own } = schema;
  const merged = {};
  const properties = {};
  const required = [];
  for (const part of allOf.map((p) => flatten(doc, p, depth + 1))) {
    Object.assign(properties, part.properties);
    required.push(...(part.required ?? []));
    Object.assign(merged, part);
  }
  Object.assign(merged, own);
  Object.assign(properties, own.properties);
  required.push(...(own.required ?? []));
  if (Object.keys(properties).length) merged.properties = properties;
  if (required.length) merged.required = [...new Set(required)];
  return merged;
}

// ── documentation ──────────────────────────────────────────────────────────────────────────────

/** Maps whose keys are names chosen by the spec's author, never OpenAPI keywords. */
const NAME_MAPS = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "responses",
  "headers",
  "content",
  "callbacks",
  "links",
  "mapping",
  "variables",
  "encoding",
]);
const isNameMap = (path) =>
  NAME_MAPS.has(path.at(-1)) ||
  (path.length === 1 && ["paths", "components", "webhooks"].includes(path[0])) ||
  (path.length === 2 && path[0] === "components");
/** Where `tags` lists an operation's (or the document's) tags: documentation grouping. */
const isTagList = (path, key) =>
  key === "tags" && (path.length === 0 || (path[0] === "paths" && path.length === 3));
const isDocKey = (path, key) => !isNameMap(path) && (DOC_KEYS.has(key) || isTagList(path, key));

/** Reports every documentation value that differs where both documents have the same node. */
function compareDocs(a, b, path, add) {
  if (!isObject(a) || !isObject(b)) return;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return;
    const key = (item, i) => (isObject(item) && item.name ? `${item.in ?? ""}:${item.name}` : i);
    const byKey = new Map(b.map((item, i) => [key(item, i), item]));
    a.forEach((item, i) => {
      const k = key(item, i);
      const label = isObject(item) && item.name ? `[${item.name}]` : `[${i}]`;
      if (byKey.has(k)) compareDocs(item, byKey.get(k), [...path, label], add);
    });
    return;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (isDocKey(path, key)) {
      if (equal(a[key], b[key])) continue;
      const how = !(key in a) ? "added" : !(key in b) ? "removed" : "changed";
      add("patch", formatPath(path), `${key} ${how}`);
    } else if (path.length === 1 && path[0] === "info" && key === "version") {
      if (a.version !== b.version) add("patch", "info", `version ${a.version} → ${b.version}`);
    } else if (key in a && key in b) {
      compareDocs(a[key], b[key], [...path, key], add);
    }
  }
}

/** The document without its documentation, to find what else differs. */
function stripDocs(node, path = []) {
  if (Array.isArray(node)) return node.map((item, i) => stripDocs(item, [...path, i]));
  if (!isObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !isDocKey(path, key))
      .filter(([key]) => !(path.length === 1 && path[0] === "info" && key === "version"))
      .map(([key, value]) => [key, stripDocs(value, [...path, key])]),
  );
}

function diffPaths(a, b, path) {
  if (equal(a, b)) return [];
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) => diffPaths(a[key], b[key], [...path, key]));
}

/** ["paths", "/x", "get", "parameters", "[page]"] → "GET /x parameters[page]". */
function formatPath(path) {
  if (path.length === 0) return "spec";
  if (path[0] === "paths" && path.length >= 3) {
    const [, route, method, ...rest] = path;
    return [`${String(method).toUpperCase()} ${route}`, ...rest].join(" ").replace(/ \[/g, "[");
  }
  return path.join(".").replace(/\.\[/g, "[");
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────

const isObject = (v) => typeof v === "object" && v !== null;
const show = (v) => (v === undefined ? "(none)" : JSON.stringify(v));

function equal(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}

// ── reports and changesets ─────────────────────────────────────────────────────────────────────

/** A readable report: one line per change, with its level, then the resulting bump. */
export function formatReport(title, diff) {
  const lines = [title];
  if (diff.changes.length === 0) lines.push("  no changes");
  for (const change of diff.changes) {
    lines.push(`  ${change.level.padEnd(5)}  ${change.subject}: ${change.message}`);
  }
  lines.push(`  → ${diff.level === "none" ? "no release needed" : `${diff.level} bump`}`);
  return lines.join("\n");
}

/** Publishable packages of a checkout, by name: `{ dir, json }`. */
export function publishablePackages(root) {
  const dir = join(root, "packages");
  const out = new Map();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, "package.json");
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, "utf8"));
    if (!json.private) out.set(json.name, { dir: join(dir, name), json });
  }
  return out;
}

/**
 * The packages a spec change releases: the provider's own package, and every publishable
 * package that depends on it (the aggregate re-exports each provider's factory and client type,
 * so a change to a client's API is a change to its API, at the same level).
 */
export function affectedPackages(root, specName) {
  const packages = publishablePackages(root);
  const own =
    [...packages.entries()].find(([, p]) => p.dir === join(root, "packages", specName))?.[0] ??
    `@spendkit/${specName}`;
  const dependents = [...packages.entries()]
    .filter(([name, p]) => {
      if (name === own) return false;
      const deps = { ...p.json.dependencies, ...p.json.peerDependencies };
      return own in deps;
    })
    .map(([name]) => name);
  return [own, ...dependents];
}

const MAX_LISTED = 25;

/** The text of a changeset that releases `packages` with the diff's bump. */
export function changesetText(packages, specName, diff) {
  const front = packages.map((name) => `"${name}": ${diff.level}`).join("\n");
  const listed = diff.changes
    .slice(0, MAX_LISTED)
    .map((c) => `- ${c.level}: ${c.subject}: ${c.message}`);
  if (diff.changes.length > MAX_LISTED) {
    listed.push(
      `- … and ${diff.changes.length - MAX_LISTED} more (run \`pnpm spec-diff ${specName}\`)`,
    );
  }
  return `---
${front}
---

Regenerated from \`specs/${specName}.yaml\` (spec-diff: ${diff.level}).

${listed.join("\n")}
`;
}

/**
 * The changeset's file name: fixed for one base version of the spec, so running spec-diff again
 * before committing rewrites the same changeset instead of adding a second one.
 */
export function changesetName(specName, oldText) {
  const hash = createHash("sha256")
    .update(oldText ?? "")
    .digest("hex")
    .slice(0, 8);
  return `${specName}-spec-${hash}.md`;
}

// ── specs from files and from git ──────────────────────────────────────────────────────────────

/** The text of specs/<name>.yaml at a git revision; undefined when it is not there. */
export function specAtRevision(root, revision, name) {
  const result = spawnSync("git", ["show", `${revision}:specs/${name}.yaml`], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) return result.stdout;
  const verify = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], {
    cwd: root,
    encoding: "utf8",
  });
  if (verify.status !== 0) {
    throw new Error(`spec-diff: "${revision}" is not a git revision of ${root}`);
  }
  return undefined;
}

/** Names of the specs in the working tree, and in a git revision when one is given. */
export function specNames(root, revision) {
  const names = new Set();
  const dir = join(root, "specs");
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)) if (file.endsWith(".yaml")) names.add(file.slice(0, -5));
  }
  if (revision) {
    const result = spawnSync("git", ["ls-tree", "--name-only", `${revision}`, "specs/"], {
      cwd: root,
      encoding: "utf8",
    });
    for (const line of result.stdout?.split("\n") ?? []) {
      const match = /^specs\/([^/]+)\.yaml$/.exec(line);
      if (match) names.add(match[1]);
    }
  }
  return [...names].sort();
}

/**
 * Diffs one provider's spec: `oldText` against `newText` (either undefined when absent), and
 * names the packages it releases and the changeset file that describes it.
 */
export function diffProvider(root, name, oldText, newText) {
  const oldDoc = oldText === undefined ? null : parse(oldText);
  const newDoc = newText === undefined ? null : parse(newText);
  const diff = diffSpecs(oldDoc, newDoc);
  return {
    name,
    diff,
    packages: affectedPackages(root, name),
    changesetFile: join(root, ".changeset", changesetName(name, oldText)),
  };
}

/** Writes (or rewrites) the changeset of a diff; returns its path, or undefined for "none". */
export function writeChangeset(result) {
  if (result.diff.level === "none") return undefined;
  mkdirSync(dirname(result.changesetFile), { recursive: true });
  writeFileSync(result.changesetFile, changesetText(result.packages, result.name, result.diff));
  return result.changesetFile;
}
