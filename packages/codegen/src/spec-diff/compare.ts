// Classifies the changes between two versions of a provider spec by what they mean to someone
// who upgrades the generated package (its TypeScript API and its runtime behaviour):
//
//   major  something a user's code may rely on is gone or stricter: a removed operation, input
//          field, response field or enum value; a newly required input; a narrowed input
//          constraint (smaller maximum, new pattern, ...); a response field that may now be null
//          or absent; a renamed factory or client option.
//   minor  something was added: an operation, an optional input field, a response field, an enum
//          value; a widened input constraint; a runtime behaviour change (retry safety,
//          pagination, money units, default base URL).
//   patch  documentation only (descriptions, summaries, examples, titles, tags), and changes the
//          generated client's API cannot see (error responses, response headers, constraints that
//          only describe returned values, unused components).
//   none   the parsed documents are equal (formatting and comments do not count).
//
// The flat input, retry safety and money units are read through the same spec model as the
// generator's, so a change is judged on what the generated client actually gets.
import { equal } from "../json.js";
import { flatInput, type InputField } from "../model/input.js";
import { moneyFields } from "../model/money.js";
import { successResponse } from "../model/response.js";
import { isRetrySafe } from "../model/retry.js";
import { derefOrEmpty, type Node, type OperationRef, operationsOf } from "../spec/document.js";
import { compareDocs, diffPaths, formatPath, stripDocs } from "./docs.js";
import { type AddChange, type Change, type SpecDiff, sortedDiff } from "./levels.js";
import { compareSchema, type SchemaContext } from "./schema.js";

/** Compares two parsed OpenAPI documents; either may be null (a new or a deleted spec). */
export function diffSpecs(oldDoc: Node | null, newDoc: Node | null): SpecDiff {
  if (oldDoc == null && newDoc == null) return { level: "none", changes: [] };
  if (equal(oldDoc, newDoc)) return { level: "none", changes: [] };
  const changes: Change[] = [];
  const add: AddChange = (level, subject, message) => changes.push({ level, subject, message });

  if (oldDoc == null) {
    add("minor", "spec", "new spec: a new package");
    for (const op of operationMap(newDoc!).values())
      add("minor", op.id, `operation added (${op.label})`);
    return sortedDiff(changes);
  }
  if (newDoc == null) {
    add("major", "spec", "spec deleted: every operation is gone");
    return sortedDiff(changes);
  }

  compareRoot(oldDoc, newDoc, add);
  compareOperations(oldDoc, newDoc, add);
  compareDocs(oldDoc, newDoc, [], add);
  if (changes.length === 0) {
    // Not equal, yet nothing the client reads differs: name where, so a reviewer can check.
    for (const path of diffPaths(stripDocs(oldDoc), stripDocs(newDoc)).slice(0, 10)) {
      add("patch", formatPath(path), "changed; the generated client does not read it");
    }
  }
  return sortedDiff(changes);
}

// ── the document root: package identity, base URL, runtime extensions ──────────────────────────

function compareRoot(a: Node, b: Node, add: AddChange) {
  const xa: Node = a["x-spendkit"] ?? {};
  const xb: Node = b["x-spendkit"] ?? {};
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
  const ca: Node = xa.clientParams ?? {};
  const cb: Node = xb.clientParams ?? {};
  for (const [param, spec] of Object.entries<Node>(ca)) {
    if (!cb[param]) add("major", "client options", `option ${spec.option} (${param}) removed`);
    else if (cb[param].option !== spec.option) {
      add("major", "client options", `option ${spec.option} renamed to ${cb[param].option}`);
    } else if (!equal(spec, cb[param])) {
      add("minor", "client options", `how ${spec.option} is discovered changed`);
    }
  }
  for (const [param, spec] of Object.entries<Node>(cb)) {
    if (!ca[param]) add("minor", "client options", `option ${spec.option} (${param}) added`);
  }
  const urlA = a.servers?.[0]?.url;
  const urlB = b.servers?.[0]?.url;
  if (urlA !== urlB) add("minor", "servers", `default base URL changed from ${urlA} to ${urlB}`);
  const schemes = (doc: Node) =>
    stripDocs(doc.components?.securitySchemes, ["components", "securitySchemes"]);
  if (!equal(a.security, b.security) || !equal(schemes(a), schemes(b))) {
    add("minor", "security", "authentication changed");
  }
}

// ── operations ─────────────────────────────────────────────────────────────────────────────────

interface KeyedOperation extends OperationRef {
  id: string;
  label: string;
}

function operationMap(doc: Node): Map<string, KeyedOperation> {
  const map = new Map<string, KeyedOperation>();
  for (const op of operationsOf(doc)) {
    const label = `${op.method.toUpperCase()} ${op.path}`;
    // A missing or (invalid) repeated operationId: keyed by the endpoint instead.
    const operationId: string | undefined = op.operation.operationId;
    const id = operationId && !map.has(operationId) ? operationId : label;
    map.set(id, { ...op, id, label });
  }
  return map;
}

function compareOperations(oldDoc: Node, newDoc: Node, add: AddChange) {
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
    const ctx: SchemaContext = { oldDoc, newDoc, subject: id, add };
    if (a.label !== b.label) add("patch", id, `endpoint moved from ${a.label} to ${b.label}`);
    compareBehaviour(ctx, a, b);
    compareInputs(ctx, a, b);
    compareResponses(ctx, a, b);
  }
}

function compareBehaviour(ctx: SchemaContext, a: KeyedOperation, b: KeyedOperation) {
  const { subject, add } = ctx;
  const safeA = isRetrySafe(a.method, a.operation);
  const safeB = isRetrySafe(b.method, b.operation);
  if (safeA !== safeB) {
    add("minor", subject, safeB ? "now retried automatically" : "no longer retried automatically");
  }
  const pa = a.operation["x-spendkit-pagination"];
  const pb = b.operation["x-spendkit-pagination"];
  if (pa && !pb) add("major", subject, ".all() removed (no longer paginated)");
  else if (!pa && pb) add("minor", subject, ".all() added (now paginated)");
  else if (!equal(pa, pb)) add("minor", subject, "pagination changed");
  const wa = a.operation["x-spendkit-window"];
  const wb = b.operation["x-spendkit-window"];
  if (!equal(wa, wb)) add("minor", subject, "time-window validation changed");
  const ma = moneyOf(ctx.oldDoc, a);
  const mb = moneyOf(ctx.newDoc, b);
  for (const path of new Set([...Object.keys(ma), ...Object.keys(mb)])) {
    if (ma[path] === mb[path]) continue;
    add("minor", subject, `money unit of ${path}: ${ma[path] ?? "none"} → ${mb[path] ?? "none"}`);
  }
}

/** The money units of the payload, as the generated operations table lists them. */
function moneyOf(doc: Node, op: OperationRef): Record<string, string> {
  const body = successResponse(doc, op.operation, derefOrEmpty)?.schema;
  return moneyFields(doc, body, doc["x-spendkit"]?.envelope?.data, derefOrEmpty);
}

/**
 * The flat method input by the name a caller uses; header and cookie parameters, which the
 * caller does not pass, by location and name; a body without fields as "(body)".
 */
function inputsOf(doc: Node, op: OperationRef): Map<string, InputField> {
  const input = flatInput(doc, op, derefOrEmpty);
  const fields = new Map<string, InputField>();
  for (const field of input.fields) {
    const passed = field.in !== "header" && field.in !== "cookie";
    fields.set(passed ? field.name : `${field.in} ${field.name}`, field);
  }
  if (input.body && !input.body.hasFields) {
    const { required, schema } = input.body;
    fields.set("(body)", { name: "(body)", in: "body", required, schema: schema ?? {} });
  }
  return fields;
}

function compareInputs(ctx: SchemaContext, a: KeyedOperation, b: KeyedOperation) {
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

function compareResponses(ctx: SchemaContext, a: KeyedOperation, b: KeyedOperation) {
  const { subject, add } = ctx;
  const ra = successResponse(ctx.oldDoc, a.operation, derefOrEmpty);
  const rb = successResponse(ctx.newDoc, b.operation, derefOrEmpty);
  if (ra && rb && ra.code !== rb.code)
    add("patch", subject, `success status ${ra.code} → ${rb.code}`);
  if (ra?.schema && !rb?.schema) add("major", subject, "the response body was removed");
  else if (!ra?.schema && rb?.schema) add("minor", subject, "the response now has a body");
  else if (ra?.schema && rb?.schema) compareSchema(ctx, ra.schema, rb.schema, "response", "output");
  const errors = (op: OperationRef) =>
    Object.keys(op.operation.responses ?? {}).filter((c) => !/^2/.test(c));
  const ea = errors(a);
  const eb = errors(b);
  for (const code of eb.filter((c) => !ea.includes(c)))
    add("patch", subject, `documents a new ${code} response`);
  for (const code of ea.filter((c) => !eb.includes(c)))
    add("patch", subject, `no longer documents a ${code} response`);
}
