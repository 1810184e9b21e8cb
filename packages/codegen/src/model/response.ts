import type { FieldSchema } from "@spendkit/core";
import { deref, type Node, type Resolve } from "../spec/document.js";
import { fieldSchema } from "./field-schema.js";

export interface SuccessResponse {
  /** The lowest 2xx status the operation documents. */
  code: string;
  /** The schema of its body (application/json when the spec has it), if it has one. */
  schema: Node | undefined;
}

/** The response a successful call gets: what the client returns (after the envelope). */
export function successResponse(
  document: Node,
  operation: Node,
  resolve: Resolve = deref,
): SuccessResponse | undefined {
  const responses: Node = operation.responses ?? {};
  const code = Object.keys(responses)
    .filter((c) => /^2/.test(c))
    .sort()[0];
  if (!code) return undefined;
  const content: Node = resolve(document, responses[code])?.content ?? {};
  const schema = content["application/json"]?.schema ?? Object.values<Node>(content)[0]?.schema;
  return { code, schema };
}

/**
 * The body schema of every response the operation documents with a JSON body, by status, in
 * the form the drift check reads (`onDrift`). Statuses the spec leaves undocumented, and bodies
 * that are not JSON, are not checked.
 */
export function responseSchemas(
  document: Node,
  operation: Node,
  resolve: Resolve = deref,
): Record<string, FieldSchema> {
  const schemas: Record<string, FieldSchema> = {};
  const responses: Node = operation.responses ?? {};
  for (const status of Object.keys(responses).sort()) {
    if (!/^\d{3}$/.test(status)) continue;
    const schema = resolve(document, responses[status])?.content?.["application/json"]?.schema;
    if (schema) schemas[status] = fieldSchema(document, schema, 0, true);
  }
  return schemas;
}
