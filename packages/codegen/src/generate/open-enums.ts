// Open enums keep their autocompletion. A response enum the provider may extend is written in
// the spec as `anyOf: [{ type: string, enum: [...] }, { type: string }, ...]`; openapi-typescript
// turns that into `("A" | "B") | string`, which TypeScript widens to plain `string`, so editors
// no longer offer the known values. Writing the open member as `string & {}` keeps the union
// as it reads: the known values are suggested, and any other string is still accepted.
import ts from "typescript";

type Schema = {
  anyOf?: unknown[];
  enum?: unknown[];
  type?: unknown;
  format?: unknown;
  pattern?: unknown;
};

/** True for a schema with a string enum alternative and a free string alternative. */
function isOpenStringEnum(schema: Schema): boolean {
  const options = Array.isArray(schema.anyOf) ? (schema.anyOf as Schema[]) : [];
  const known = options.some(
    (o) => Array.isArray(o?.enum) && o.enum.some((v) => typeof v === "string"),
  );
  const free = options.some(
    (o) => o?.type === "string" && !o.enum && o.format === undefined && o.pattern === undefined,
  );
  return known && free;
}

/** `string & {}`. */
function openString(): ts.TypeNode {
  return ts.factory.createIntersectionTypeNode([
    ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword),
    ts.factory.createTypeLiteralNode([]),
  ]);
}

/** openapi-typescript's `postTransform`: the open member of an open string enum made `string & {}`. */
export function openEnums(
  type: ts.TypeNode,
  options: { schema?: unknown },
): ts.TypeNode | undefined {
  const schema = options.schema as Schema | undefined;
  if (!schema || !isOpenStringEnum(schema) || !ts.isUnionTypeNode(type)) return undefined;
  return ts.factory.createUnionTypeNode(
    type.types.map((member) =>
      member.kind === ts.SyntaxKind.StringKeyword ? openString() : member,
    ),
  );
}
