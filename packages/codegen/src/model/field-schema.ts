import type { FieldSchema } from "@spendkit/core";
import { deref, flatten, type Node } from "../spec/document.js";

const KEPT_KEYWORDS = [
  "type",
  "enum",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
] as const;
const KEPT_FORMATS = new Set(["date-time", "date"]);
/** Input schemas are small; past this depth a recursive schema is left unchecked. */
const MAX_DEPTH = 12;

/** The subset of a JSON schema that the client's input validation reads, $refs inlined. */
export function fieldSchema(document: Node, node: unknown, depth = 0): FieldSchema {
  if (depth > MAX_DEPTH) return {};
  const schema = flatten(document, deref(document, node));
  const out: Node = {};
  for (const keyword of KEPT_KEYWORDS) {
    if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
  }
  if (schema.const !== undefined) out.enum = [schema.const];
  if (KEPT_FORMATS.has(schema.format)) out.format = schema.format;
  if (schema.items) out.items = fieldSchema(document, schema.items, depth + 1);
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, p]) => [
        name,
        fieldSchema(document, p, depth + 1),
      ]),
    );
  }
  if (schema.required?.length) out.required = schema.required;
  const alternatives: unknown[] | undefined = schema.oneOf ?? schema.anyOf;
  if (alternatives) out.anyOf = alternatives.map((a) => fieldSchema(document, a, depth + 1));
  return out;
}
