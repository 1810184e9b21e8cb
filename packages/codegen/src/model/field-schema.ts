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

/**
 * The subset of a JSON schema that the client's input validation reads, $refs inlined. With
 * `response`, the form the drift check reads: an object schema also says whether it admits
 * fields it does not name (`additionalProperties`; unsaid, it does not — an undocumented field
 * is drift).
 */
export function fieldSchema(
  document: Node,
  node: unknown,
  depth = 0,
  response = false,
): FieldSchema {
  if (depth > MAX_DEPTH) return {};
  const schema = flatten(document, deref(document, node));
  const out: Node = {};
  for (const keyword of KEPT_KEYWORDS) {
    if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
  }
  if (schema.const !== undefined) out.enum = [schema.const];
  if (KEPT_FORMATS.has(schema.format)) out.format = schema.format;
  // Integer Unix seconds: the client writes a Date given for such a field in that form.
  const time = schema["x-spendkit-time"];
  if (time !== undefined && time !== "unix-seconds") {
    throw new Error(`x-spendkit-time "${time}" is not a known time form (unix-seconds)`);
  }
  if (time === "unix-seconds") out.format = "unix-seconds";
  if (schema.items) out.items = fieldSchema(document, schema.items, depth + 1, response);
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, p]) => [
        name,
        fieldSchema(document, p, depth + 1, response),
      ]),
    );
  }
  if (schema.required?.length) out.required = schema.required;
  const alternatives: unknown[] | undefined = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    out.anyOf = alternatives.map((a) => fieldSchema(document, a, depth + 1, response));
  }
  if (response && isOpen(schema)) out.additionalProperties = true;
  return out;
}

/** An object schema that admits fields it does not name, or a free-form object. */
function isOpen(schema: Node): boolean {
  const extra = schema.additionalProperties;
  if (extra === true || (extra !== null && typeof extra === "object")) return true;
  return schema.type === "object" && !schema.properties && extra !== false;
}
