// Reading a parsed OpenAPI document: $refs, operations, and the one rule for merging `allOf`.

/** A node of a parsed OpenAPI document. YAML carries no types: each field is checked where read. */
export type Node = Record<string, any>;

/** Follows a local `$ref` (and chains of them) to the node it points at. */
export type Resolve = (document: Node, node: unknown) => Node | undefined;

/** Follows `$ref`s, throwing on one that is circular, remote or unresolved. */
export const deref: Resolve = (document, node) => {
  let current = node;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const ref: string = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
    current = ref
      .slice(2)
      .split("/")
      .reduce<unknown>(
        (object, key) =>
          isObject(object) ? object[key.replaceAll("~1", "/").replaceAll("~0", "~")] : undefined,
        document,
      );
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return isObject(current) ? current : undefined;
};

/**
 * Follows `$ref`s, reading a broken one as an empty schema: spec-diff compares any two versions
 * of a spec, including one the generator would refuse.
 */
export const derefOrEmpty: Resolve = (document, node) => {
  if (node === undefined || node === null) return undefined;
  try {
    return deref(document, node) ?? {};
  } catch {
    return {};
  }
};

const MAX_DEPTH = 24;

/**
 * A schema with its `$ref`s followed and its `allOf` parts merged into one: properties and
 * required names are united, other keywords taken from the parts in order, the schema's own
 * keywords winning.
 */
export function flatten(document: Node, node: unknown, resolve: Resolve = deref, depth = 0): Node {
  const schema = resolve(document, node) ?? {};
  if (!Array.isArray(schema.allOf) || depth > MAX_DEPTH) return schema;
  const { allOf, ...own } = schema;
  const merged: Node = {};
  const properties: Node = {};
  const required: string[] = [];
  for (const part of allOf.map((p: unknown) => flatten(document, p, resolve, depth + 1))) {
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

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationRef {
  path: string;
  method: HttpMethod;
  operation: Node;
  pathItem: Node;
}

/** Every operation of a document, in document order. */
export function operationsOf(document: Node): OperationRef[] {
  const out: OperationRef[] = [];
  for (const [path, pathItem] of Object.entries<Node>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      if (pathItem[method]) out.push({ path, method, operation: pathItem[method], pathItem });
    }
  }
  return out;
}

export const isObject = (value: unknown): value is Node =>
  typeof value === "object" && value !== null;
