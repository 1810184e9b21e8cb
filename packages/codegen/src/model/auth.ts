// How the client sends its key, read from the spec's security: the first requirement of the
// document's `security` names a scheme of `components.securitySchemes`. A bearer scheme (the
// default when a spec says nothing) needs no entry in the table; a key in a header of its own
// does (`x-api-key: <key>`). Anything the client cannot send fails generation.
import type { AuthSpec } from "@spendkit/core";
import type { Spec } from "../spec/load.js";

export function authSpec(spec: Spec): AuthSpec | undefined {
  const { document, fileName } = spec;
  const requirement = document.security?.[0];
  const name = requirement ? Object.keys(requirement)[0] : undefined;
  if (name === undefined) return undefined;
  const scheme = document.components?.securitySchemes?.[name];
  if (!scheme) throw new Error(`${fileName}: security names the unknown scheme "${name}"`);
  if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") return undefined;
  if (scheme.type === "apiKey" && scheme.in === "header" && typeof scheme.name === "string") {
    return { header: scheme.name.toLowerCase() };
  }
  throw new Error(
    `${fileName}: security scheme "${name}" is neither an http bearer scheme nor an apiKey in a header`,
  );
}
