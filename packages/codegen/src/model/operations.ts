// The runtime tables of a provider (its generated operations.ts): what each operation is, read
// from the spec and checked, so that a spec the client cannot serve fails generation.
import type { FieldSchema, Location, OperationSpec, ProviderSpec } from "@spendkit/core";
import { type Node, type OperationRef, operationsOf } from "../spec/document.js";
import type { Spec } from "../spec/load.js";
import { fieldSchema } from "./field-schema.js";
import { type FlatInput, flatInput, sentFields } from "./input.js";
import { checkMoneyUnits, moneyFields } from "./money.js";
import { paginationSpec, windowSpec } from "./pagination.js";
import { responseSchemas, successResponse } from "./response.js";
import { isRetrySafe } from "./retry.js";

/** Method names the client itself defines; an operation cannot be called like one. */
const RESERVED = new Set(["raw", "all", "then", "constructor", "prototype", "__proto__"]);

/** The `provider` table: what the runtime must know of the provider as a whole. */
export function providerTable(spec: Spec): ProviderSpec {
  const { ext, name, baseUrl } = spec;
  const table: ProviderSpec = { name, baseUrl, error: ext.error ?? {} };
  if (ext.envelope) table.envelope = ext.envelope;
  if (ext.clientParams) table.clientParams = ext.clientParams;
  return table;
}

/**
 * The `operations` table, keyed by operationId, in spec order. `moneyUnits` are the units the
 * runtime knows; a spec that uses another one is refused.
 */
export function operationsTable(
  spec: Spec,
  moneyUnits: readonly string[],
): Record<string, OperationSpec> {
  checkMoneyUnits(spec.fileName, spec.document, moneyUnits);
  const table: Record<string, OperationSpec> = {};
  for (const op of operationsOf(spec.document)) {
    const id: string | undefined = op.operation.operationId;
    const where = `${spec.fileName}: ${op.method.toUpperCase()} ${op.path}`;
    if (!id) throw new Error(`${where} has no operationId`);
    if (RESERVED.has(id))
      throw new Error(`${where}: operationId "${id}" is reserved by the client`);
    if (table[id]) throw new Error(`${where}: operationId "${id}" is used twice`);
    table[id] = operationSpec(spec, op, where);
  }
  return table;
}

function operationSpec(spec: Spec, op: OperationRef, where: string): OperationSpec {
  const { document } = spec;
  const input = flatInput(document, op);
  checkSendable(input, where);
  const locations: Record<string, Location> = {};
  const properties: Record<string, FieldSchema> = {};
  const required: string[] = [];
  for (const field of sentFields(input)) {
    const earlier = locations[field.name];
    if (earlier) {
      throw new Error(
        `${where}: field "${field.name}" is both a ${earlier} and a ${field.in} field; flat method input needs unique names`,
      );
    }
    locations[field.name] = field.in;
    properties[field.name] = fieldSchema(document, field.schema);
    if (field.required) required.push(field.name);
  }

  const entry: OperationSpec = {
    method: op.method as OperationSpec["method"],
    path: op.path,
    retrySafe: isRetrySafe(op.method, op.operation),
    in: locations,
    input: required.length
      ? { type: "object", properties, required }
      : { type: "object", properties },
  };
  const pagination: Node | undefined = op.operation["x-spendkit-pagination"];
  if (pagination) entry.pagination = paginationSpec(pagination, properties, where);
  const window: Node | undefined = op.operation["x-spendkit-window"];
  if (window) entry.window = windowSpec(window, properties, where);
  const success = successResponse(document, op.operation);
  const money = moneyFields(document, success?.schema, spec.ext.envelope?.data);
  if (Object.keys(money).length) entry.money = money as OperationSpec["money"];
  return entry;
}

/**
 * The response schemas of every operation that documents any, keyed by operationId, in spec
 * order: what the drift check reads (`onDrift`). They are a table of their own, loaded only by
 * clients that set `onDrift`.
 */
export function responsesTable(spec: Spec): Record<string, Record<string, FieldSchema>> {
  const table: Record<string, Record<string, FieldSchema>> = {};
  for (const op of operationsOf(spec.document)) {
    const responses = responseSchemas(spec.document, op.operation);
    if (Object.keys(responses).length) table[op.operation.operationId] = responses;
  }
  return table;
}

/** The client sends JSON objects only: their properties are the body's part of the flat input. */
function checkSendable({ body }: FlatInput, where: string) {
  if (!body) return;
  if (body.mediaType !== "application/json" || !body.schema)
    throw new Error(`${where}: only application/json request bodies are supported`);
  if (!body.hasFields)
    throw new Error(`${where}: the request body must be an object with properties`);
}
