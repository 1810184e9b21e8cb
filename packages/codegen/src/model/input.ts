// The flat method input of an operation: every path, query and body field side by side, with
// where each one goes. The generator writes it into the operations table; spec-diff compares it
// between two versions of a spec. Both read it from here, so they cannot disagree.
import { deref, flatten, type Node, type OperationRef, type Resolve } from "../spec/document.js";

export type FieldLocation = "path" | "query" | "header" | "cookie" | "body";

export interface InputField {
  /** The field's name in the method's input. */
  name: string;
  /** Its name on the wire, where that differs (a query parameter written with brackets). */
  wire?: string;
  in: FieldLocation;
  /** Required of the caller: fields the client fills in itself (client parameters) never are. */
  required: boolean;
  /** The field's schema as the spec writes it ($refs not followed). */
  schema: Node;
}

export interface RequestBody {
  /** The media type the body is read from: application/json when the spec has it. */
  mediaType: string | undefined;
  schema: Node | undefined;
  required: boolean;
  /** False when the body is not an object with properties: then it has no fields of its own. */
  hasFields: boolean;
}

export interface FlatInput {
  /**
   * Parameters (the path item's first; an operation's own replaces one of the same name and
   * location), then the body's properties. Header and cookie parameters are listed too: the
   * client does not send them, but a spec change to them is still a change.
   */
  fields: InputField[];
  body: RequestBody | undefined;
}

/** Names of the path parameters the client fills in itself (`x-spendkit.clientParams`). */
function clientFilledNames(document: Node): Set<string> {
  return new Set(Object.keys(document["x-spendkit"]?.clientParams ?? {}));
}

export function flatInput(document: Node, op: OperationRef, resolve: Resolve = deref): FlatInput {
  const clientFilled = clientFilledNames(document);
  const parameters = new Map<string, Node>();
  for (const p of [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])]) {
    const parameter = resolve(document, p) ?? {};
    parameters.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  const fields: InputField[] = [...parameters.values()].map((parameter) => ({
    ...inputName(parameter),
    in: parameter.in,
    required:
      !clientFilled.has(parameter.name) && (parameter.in === "path" || !!parameter.required),
    schema: parameter.schema ?? {},
  }));

  const bodyNode = resolve(document, op.operation.requestBody);
  if (!bodyNode || Object.keys(bodyNode).length === 0) return { fields, body: undefined };
  const content: Node = bodyNode.content ?? {};
  const mediaType = "application/json" in content ? "application/json" : Object.keys(content)[0];
  const schema: Node | undefined = mediaType === undefined ? undefined : content[mediaType]?.schema;
  const object = schema ? flatten(document, schema, resolve) : {};
  const body: RequestBody = {
    mediaType,
    schema,
    // Unless the spec says it may be left out, a body is sent, and its required fields with it.
    required: bodyNode.required !== false,
    hasFields: object.properties !== undefined,
  };
  const requiredNames = new Set<string>(object.required ?? []);
  for (const [name, property] of Object.entries<Node>(object.properties ?? {})) {
    fields.push({
      name,
      in: "body",
      required: requiredNames.has(name) && body.required && !clientFilled.has(name),
      schema: property,
    });
  }
  return { fields, body };
}

/**
 * A query parameter named with brackets on the wire (`group_by[]=a&group_by[]=b`, a common form
 * of arrays) is `group_by` in the method's input: brackets are how the server spells an array,
 * not part of the name a caller should have to quote.
 */
function inputName(parameter: Node): { name: string; wire?: string } {
  const name: string = parameter.name;
  return parameter.in === "query" && name.endsWith("[]") && name.length > 2
    ? { name: name.slice(0, -2), wire: name }
    : { name };
}

/**
 * The headers the client sends itself: required header parameters whose schema allows one value
 * (`const`, or an enum of one), such as an API version the provider requires on every request.
 */
export function constantHeaders(
  input: FlatInput,
  resolveSchema: (node: Node) => Node,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const field of input.fields) {
    if (field.in !== "header" || !field.required) continue;
    const schema = resolveSchema(field.schema);
    const value = schema.const ?? (schema.enum?.length === 1 ? schema.enum[0] : undefined);
    if (typeof value === "string") headers[field.name.toLowerCase()] = value;
  }
  return headers;
}

/** A field of the method's flat input: one the client puts in the path, query or body. */
export interface SentField extends InputField {
  in: "path" | "query" | "body";
}

/** The fields the client sends itself: header and cookie parameters are the caller's business. */
export function sentFields(input: FlatInput): SentField[] {
  return input.fields.filter(
    (field): field is SentField => field.in !== "header" && field.in !== "cookie",
  );
}
