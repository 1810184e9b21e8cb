// Loading the spec files and reading their spendkit extensions.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";

/** The repository root: the folder that holds specs/ and packages/. */
export const DEFAULT_ROOT = new URL("../../", import.meta.url).pathname;

/** Every provider spec: <root>/specs/<name>.yaml, parsed. */
export function loadSpecs(root = DEFAULT_ROOT, only = undefined) {
  const dir = join(root, "specs");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yaml") && (!only || file === `${only}.yaml`))
    .sort()
    .map((file) => loadSpec(join(dir, file)));
}

export function loadSpec(file) {
  const document = parse(readFileSync(file, "utf8"));
  const ext = document["x-spendkit"];
  const fileName = basename(file);
  if (!ext?.name || !ext.factory) {
    throw new Error(
      `${fileName}: the root needs x-spendkit.name and x-spendkit.factory (see specs/README.md)`,
    );
  }
  if (`${ext.name}.yaml` !== fileName) {
    throw new Error(
      `${fileName}: x-spendkit.name is "${ext.name}"; the file must be named ${ext.name}.yaml`,
    );
  }
  const baseUrl = document.servers?.[0]?.url;
  if (!baseUrl) throw new Error(`${fileName}: servers[0].url (the production base URL) is missing`);
  return { file, fileName, name: ext.name, factory: ext.factory, ext, baseUrl, document };
}

/** Follows a local "$ref" (and chains of them) to the object it points at. */
export function deref(document, node) {
  let current = node;
  const seen = new Set();
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
    current = ref
      .slice(2)
      .split("/")
      .reduce((object, key) => object?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], document);
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return current;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/** [path, method, operation, pathItem] for every operation of a spec, in document order. */
export function operationsOf(document) {
  const out = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      if (item[method]) out.push([path, method, item[method], item]);
    }
  }
  return out;
}
