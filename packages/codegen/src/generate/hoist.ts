// Schemas written as TypeScript in which every sizeable schema that occurs more than once is
// written once, as a named constant, and referred to by name: a spec's response schemas repeat
// the same error body and the same row shapes under many statuses and operations.
import type { FieldSchema } from "@spendkit/core";

/** Schemas shorter than this (as JSON) are cheaper to repeat than to name. */
const MIN_HOISTED = 40;

export interface Hoisted {
  /** `const nameSchema: FieldSchema = …;` lines, each after the ones it refers to. */
  constants: string[];
  /** The table itself, as an expression that refers to the constants. */
  expression: string;
}

/**
 * Writes a table of schemas by key and status (the response schemas of each operation) with its
 * repeated schemas hoisted. A constant is named after the field or status under which its
 * schema first appears (`errorSchema`, `itemsItemSchema`, `status400Schema`), made unique with a
 * number (`status400Schema2`).
 */
export function hoistSchemas(table: Record<string, Record<string, FieldSchema>>): Hoisted {
  const counts = new Map<string, number>();
  for (const byStatus of Object.values(table)) {
    for (const schema of Object.values(byStatus)) countSchemas(schema, counts);
  }
  const names = new Map<string, string>();
  const used = new Set<string>();
  const constants: string[] = [];

  const write = (schema: FieldSchema, hint: string): string => {
    const json = JSON.stringify(schema);
    const known = names.get(json);
    if (known) return known;
    const text = `{${Object.entries(schema)
      .map(
        ([keyword, value]) => `${JSON.stringify(keyword)}: ${writeKeyword(keyword, value, hint)}`,
      )
      .join(", ")}}`;
    if ((counts.get(json) ?? 0) < 2 || json.length < MIN_HOISTED) return text;
    const name = unique(`${identifier(hint)}Schema`, used);
    names.set(json, name);
    constants.push(`const ${name}: FieldSchema = ${text};`);
    return name;
  };
  const writeKeyword = (keyword: string, value: unknown, hint: string): string => {
    if (keyword === "properties") {
      return object(value as Record<string, FieldSchema>, (name, field) => write(field, name));
    }
    if (keyword === "items") return write(value as FieldSchema, `${hint}Item`);
    if (keyword === "anyOf") {
      return `[${(value as FieldSchema[]).map((option) => write(option, `${hint}Option`)).join(", ")}]`;
    }
    return JSON.stringify(value);
  };

  const expression = object(table, (_, byStatus) =>
    object(byStatus, (status, schema) => write(schema, `status${status}`)),
  );
  return { constants, expression };
}

function object<T>(record: Record<string, T>, value: (key: string, item: T) => string): string {
  return `{${Object.entries(record)
    .map(([key, item]) => `${JSON.stringify(key)}: ${value(key, item)}`)
    .join(", ")}}`;
}

/** How often each schema occurs, by its JSON, nested ones included. */
function countSchemas(schema: FieldSchema, counts: Map<string, number>): void {
  const json = JSON.stringify(schema);
  counts.set(json, (counts.get(json) ?? 0) + 1);
  for (const field of Object.values(schema.properties ?? {})) countSchemas(field, counts);
  if (schema.items) countSchemas(schema.items, counts);
  for (const option of schema.anyOf ?? []) countSchemas(option, counts);
}

function identifier(hint: string): string {
  const camel = hint
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? "").toUpperCase())
    .replace(/^[^A-Za-z]+/, "");
  return camel ? camel[0]!.toLowerCase() + camel.slice(1) : "field";
}

function unique(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = `${name}${n}`;
  used.add(candidate);
  return candidate;
}
