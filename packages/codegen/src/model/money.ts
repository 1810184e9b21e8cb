// `x-spendkit-money`: the unit of a money value. The generator lists, per operation, the unit of
// every money field of the payload a call returns, so that adapters read units from the spec
// instead of guessing them from field names.
import { deref, flatten, isObject, type Node, type Resolve } from "../spec/document.js";

const EXTENSION = "x-spendkit-money";
/** Deeper than any payload; stops a schema that contains itself through several $refs. */
const MAX_DEPTH = 24;

/**
 * Throws, naming each place, when the spec uses a unit outside `known` (the units the runtime's
 * tables accept, read from @spendkit/core).
 */
export function checkMoneyUnits(fileName: string, document: Node, known: readonly string[]) {
  const wrong: string[] = [];
  const visit = (node: unknown, at: string) => {
    if (!isObject(node)) return;
    if (EXTENSION in node && !known.includes(node[EXTENSION])) {
      wrong.push(`${at || "/"}: ${JSON.stringify(node[EXTENSION])}`);
    }
    for (const [key, value] of Object.entries(node)) visit(value, `${at}/${pointerSegment(key)}`);
  };
  visit(document, "");
  if (wrong.length) {
    throw new Error(
      `${fileName}: unknown ${EXTENSION} unit (known: ${known.join(", ")}; see specs/README.md):\n  ${wrong.join("\n  ")}`,
    );
  }
}

/**
 * The unit of each money field of a payload schema, keyed by a JSON-pointer-like path in which
 * `*` stands for any array item or map value (each item's `amount_usd` is `/items/*` followed by
 * `/amount_usd`). `payload` is the dotted path of the payload inside the body when an envelope
 * wraps it: the client returns that part, so the paths start there.
 */
export function moneyFields(
  document: Node,
  bodySchema: unknown,
  payload?: string,
  resolve: Resolve = deref,
): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (node: unknown, at: string, refs: Set<string>, depth: number) => {
    if (!isObject(node) || depth > MAX_DEPTH) return;
    if (typeof node.$ref === "string") {
      if (refs.has(node.$ref)) return;
      refs = new Set(refs).add(node.$ref);
    }
    const schema = flatten(document, node, resolve);
    if (schema[EXTENSION] !== undefined) {
      found[at || "/"] = schema[EXTENSION];
      return;
    }
    for (const variant of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
      visit(variant, at, refs, depth + 1);
    }
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      visit(property, `${at}/${pointerSegment(name)}`, refs, depth + 1);
    }
    if (schema.items) visit(schema.items, `${at}/*`, refs, depth + 1);
    if (isObject(schema.additionalProperties)) {
      visit(schema.additionalProperties, `${at}/*`, refs, depth + 1);
    }
  };
  visit(bodySchema, "", new Set(), 0);
  if (payload === undefined) return found;
  const prefix = `/${payload.split(".").map(pointerSegment).join("/")}`;
  return Object.fromEntries(
    Object.entries(found)
      .filter(([path]) => path.startsWith(`${prefix}/`) || path === prefix)
      .map(([path, unit]) => [path.slice(prefix.length) || "/", unit]),
  );
}

/** A property name as one JSON Pointer segment (RFC 6901). */
const pointerSegment = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");
