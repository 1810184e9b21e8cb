// Comparing the schema of one value between two versions of a spec. What breaks depends on the
// direction: on input (what the user sends) accepting less is breaking; on output (what the
// user reads) losing or loosening fields is.
import { equal, show } from "../json.js";
import { derefOrEmpty, flatten, type Node } from "../spec/document.js";
import type { Level } from "./levels.js";

export type Direction = "input" | "output";

export interface SchemaContext {
  oldDoc: Node;
  newDoc: Node;
  /** The operation the schema belongs to. */
  subject: string;
  add: (level: Level, subject: string, message: string) => void;
}

/** Lowering an upper bound, or raising a lower bound, accepts less input. */
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
/** Constraints that can only be compared as "added, removed or changed". */
const OTHER_CONSTRAINTS = ["pattern", "format", "multipleOf", "uniqueItems"];
const CONSTRAINTS: [string, (x: number, y: number) => boolean][] = [
  ...UPPER_BOUNDS.map((k): [string, (x: number, y: number) => boolean] => [k, (x, y) => y > x]),
  ...LOWER_BOUNDS.map((k): [string, (x: number, y: number) => boolean] => [k, (x, y) => y < x]),
  ...OTHER_CONSTRAINTS.map((k): [string, () => boolean] => [k, () => false]),
];
const MAX_DEPTH = 24;

const flat = (doc: Node, node: unknown) => flatten(doc, node ?? {}, derefOrEmpty);

export function compareSchema(
  ctx: SchemaContext,
  oldNode: Node | undefined,
  newNode: Node | undefined,
  where: string,
  direction: Direction,
  seen: Set<string> = new Set(),
  depth = 0,
): void {
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
  const report = (level: Level, message: string) =>
    ctx.add(level, ctx.subject, `${where}: ${message}`);
  const recurse = (x: Node | undefined, y: Node | undefined, at: string) =>
    compareSchema(ctx, x, y, at, direction, seen, depth + 1);

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
  for (const [keyword, loosens] of CONSTRAINTS) {
    const x = a.schema[keyword];
    const y = b.schema[keyword];
    if (equal(x, y)) continue;
    let widened: boolean;
    let text: string;
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
  const pa: Node | undefined = a.schema.properties;
  const pb: Node | undefined = b.schema.properties;
  if (pa || pb) {
    const propsA = pa ?? {};
    const propsB = pb ?? {};
    const reqA = new Set(a.schema.required ?? []);
    const reqB = new Set(b.schema.required ?? []);
    const field = (name: string) => `${where}.${name}`;
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

interface Shape {
  schema: Node;
  nullable: boolean;
  /** The alternatives of a union of several shapes. */
  variants: Node[];
  doc: Node;
  /** The $ref a nullable union collapsed to. */
  ref: string | undefined;
}

/**
 * A schema with $refs and allOf resolved, and its nullability and union made explicit:
 * `oneOf: [{type: "null"}, X]` (or `anyOf`) is X, nullable.
 */
function shape(doc: Node, node: Node | undefined): Shape {
  let schema = flat(doc, node);
  let nullable = schema.nullable === true;
  let variants: Node[] = [];
  let ref: string | undefined;
  const alternatives: Node[] | undefined = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const rest = alternatives.filter((alt) => !isNullOnly(flat(doc, alt)));
    if (rest.length < alternatives.length) nullable = true;
    const { oneOf: _o, anyOf: _a, ...own } = schema;
    if (rest.length === 1) {
      const inner = shape(doc, rest[0]);
      schema = { ...own, ...inner.schema };
      nullable ||= inner.nullable;
      variants = inner.variants;
      ref = rest[0]!.$ref ?? inner.ref;
    } else {
      schema = own;
      variants = rest;
    }
  }
  return { schema, nullable, variants, doc, ref };
}

function isNullOnly(schema: Node): boolean {
  return (
    schema.type === "null" ||
    (Array.isArray(schema.type) && schema.type.every((t: unknown) => t === "null"))
  );
}

function typesOf({ schema, nullable, variants, doc }: Shape): Set<string> | null {
  let types: Set<string>;
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

const jsonType = (v: unknown): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "array"
      : typeof v === "number" && Number.isInteger(v)
        ? "integer"
        : typeof v;
const subset = (a: Set<string>, b: Set<string>) =>
  [...a].every((t) => b.has(t) || (t === "integer" && b.has("number")));
const typeText = (types: Set<string> | null) => (types ? [...types].join(" | ") : "any");

function enumOf(schema: Node): string[] | undefined {
  if (schema.enum) return schema.enum.map((v: unknown) => JSON.stringify(v));
  if (schema.const !== undefined) return [JSON.stringify(schema.const)];
  return undefined;
}
