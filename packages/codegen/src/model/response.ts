import { deref, type Node, type Resolve } from "../spec/document.js";

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
