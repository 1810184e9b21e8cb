// Derives a provider's runtime tables (operations.ts) from its spec.
import { deref, operationsOf } from "./specs.mjs";

const RESERVED = new Set(["raw", "all", "then", "constructor", "prototype", "__proto__"]);
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
];
const KEPT_FORMATS = new Set(["date-time", "date"]);

/** The `provider` table: what the runtime must know of the provider as a whole. */
export function providerTable(spec) {
  const { ext, name, baseUrl } = spec;
  const table = { name, baseUrl, error: ext.error ?? {} };
  if (ext.envelope) table.envelope = ext.envelope;
  if (ext.clientParams) table.clientParams = ext.clientParams;
  return table;
}

/** The `operations` table, keyed by operationId, in spec order. */
export function operationsTable(spec) {
  const { document, fileName } = spec;
  const table = {};
  for (const [path, method, operation, pathItem] of operationsOf(document)) {
    const id = operation.operationId;
    const where = `${fileName}: ${method.toUpperCase()} ${path}`;
    if (!id) throw new Error(`${where} has no operationId`);
    if (RESERVED.has(id))
      throw new Error(`${where}: operationId "${id}" is reserved by the client`);
    if (table[id]) throw new Error(`${where}: operationId "${id}" is used twice`);
    table[id] = operationEntry(spec, path, method, operation, pathItem, where);
  }
  return table;
}

function operationEntry(spec, path, method, operation, pathItem, where) {
  const { document, ext } = spec;
  const clientFilled = new Set(Object.keys(ext.clientParams ?? {}));
  const locations = {};
  const properties = {};
  const required = [];
  const place = (name, location, schema, isRequired) => {
    if (locations[name]) {
      throw new Error(
        `${where}: field "${name}" is both a ${locations[name]} and a ${location} field; flat method input needs unique names`,
      );
    }
    locations[name] = location;
    properties[name] = fieldSchema(document, schema);
    if (isRequired && !clientFilled.has(name)) required.push(name);
  };

  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
    deref(document, p),
  );
  for (const parameter of parameters) {
    if (parameter.in === "header" || parameter.in === "cookie") continue;
    place(
      parameter.name,
      parameter.in,
      parameter.schema ?? {},
      parameter.in === "path" || parameter.required,
    );
  }
  const body = deref(document, operation.requestBody);
  if (body) {
    const schema = body.content?.["application/json"]?.schema;
    if (!schema) throw new Error(`${where}: only application/json request bodies are supported`);
    const object = mergeAllOf(document, deref(document, schema));
    if (!object.properties)
      throw new Error(`${where}: the request body must be an object with properties`);
    const requiredBody = new Set(object.required ?? []);
    for (const [name, property] of Object.entries(object.properties)) {
      place(name, "body", property, requiredBody.has(name) && body.required !== false);
    }
  }

  const entry = {
    method,
    path,
    retrySafe: operation["x-spendkit-retry-safe"] ?? (method === "get" || method === "head"),
    in: locations,
    input: required.length
      ? { type: "object", properties, required }
      : { type: "object", properties },
  };
  const pagination = operation["x-spendkit-pagination"];
  if (pagination) entry.pagination = paginationEntry(pagination, properties, where);
  const window = operation["x-spendkit-window"];
  if (window) {
    for (const field of [window.start, window.end]) {
      if (!properties[field])
        throw new Error(`${where}: x-spendkit-window names unknown field "${field}"`);
    }
    entry.window = { start: window.start, end: window.end };
  }
  return entry;
}

function paginationEntry(pagination, properties, where) {
  const { page, pageSize, items, total, reportedPageSize, windowEnd } = pagination;
  for (const field of [page, pageSize, windowEnd].filter(Boolean)) {
    if (!properties[field])
      throw new Error(`${where}: x-spendkit-pagination names unknown field "${field}"`);
  }
  if (!items) throw new Error(`${where}: x-spendkit-pagination needs "items"`);
  const entry = { page, pageSize };
  const maxPageSize = properties[pageSize].maximum;
  if (maxPageSize !== undefined) entry.maxPageSize = maxPageSize;
  entry.items = items;
  if (total) entry.total = total;
  if (reportedPageSize) entry.reportedPageSize = reportedPageSize;
  if (windowEnd) {
    entry.windowEnd = windowEnd;
    entry.windowEndFormat = windowEndFormat(properties[windowEnd], where);
  }
  return entry;
}

function windowEndFormat(schema, where) {
  if (schema.format === "date-time") return "date-time";
  if (schema.pattern === "^[0-9]+$") return "epoch-ms";
  throw new Error(
    `${where}: the windowEnd field must be a date-time or an epoch-milliseconds string (pattern '^[0-9]+$')`,
  );
}

function mergeAllOf(document, schema) {
  if (!schema.allOf) return schema;
  const merged = { type: "object", properties: {}, required: [] };
  for (const part of schema.allOf.map((p) => mergeAllOf(document, deref(document, p)))) {
    Object.assign(merged.properties, part.properties);
    merged.required.push(...(part.required ?? []));
  }
  Object.assign(merged.properties, schema.properties);
  merged.required.push(...(schema.required ?? []));
  return merged;
}

/** The subset of a JSON schema that input validation reads, with every $ref inlined. */
function fieldSchema(document, node, depth = 0) {
  if (depth > 12) return {};
  const schema = mergeAllOf(document, deref(document, node));
  const out = {};
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
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) out.anyOf = alternatives.map((a) => fieldSchema(document, a, depth + 1));
  return out;
}

/** TypeScript for the `Operations` interface: each operation's input, result and item types. */
export function operationTypes(spec, table) {
  const clientFilled = Object.keys(spec.ext.clientParams ?? {});
  const envelope = spec.ext.envelope;
  const lines = [];
  for (const [id, entry] of Object.entries(table)) {
    const op = `Schema["${id}"]`;
    const filled = clientFilled.filter((name) => entry.in[name] === "path");
    const input = filled.length
      ? `FlatInput<${op}, ${filled.map((n) => `"${n}"`).join(" | ")}>`
      : `FlatInput<${op}>`;
    const result = envelope
      ? `NonNullable<${index(`SuccessBody<${op}>`, envelope.data)}>`
      : `SuccessBody<${op}>`;
    const summary = spec.document.paths[entry.path][entry.method].summary;
    lines.push(`  /** ${summary ?? id} */`);
    lines.push(`  ${id}: {`);
    lines.push(`    input: ${input};`);
    lines.push(`    result: ${result};`);
    if (entry.pagination) {
      lines.push(
        `    item: NonNullable<${index(`Operations["${id}"]["result"]`, entry.pagination.items)}>[number];`,
      );
      lines.push(`    pageFields: "${entry.pagination.page}" | "${entry.pagination.pageSize}";`);
    }
    lines.push("  };");
  }
  return lines.join("\n");
}

/** `T["a"]["b"]` for a dotted path, with each step made non-nullable. */
function index(type, dotted) {
  return dotted
    .split(".")
    .reduce((t, key, i) => (i === 0 ? `${t}["${key}"]` : `NonNullable<${t}>["${key}"]`), type);
}
