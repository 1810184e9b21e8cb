// The documentation in a spec: values that never change what the client does (a patch release),
// and naming where a document differs for the report.
import { equal } from "../json.js";
import { isObject, type Node } from "../spec/document.js";
import type { AddChange } from "./levels.js";

type Path = (string | number)[];

/** Keys whose values are documentation: they never change what the client does. */
const DOC_KEYS = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "externalDocs",
  "termsOfService",
  "contact",
  "x-logo",
]);
/** Maps whose keys are names chosen by the spec's author, never OpenAPI keywords. */
const NAME_MAPS = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "responses",
  "headers",
  "content",
  "callbacks",
  "links",
  "mapping",
  "variables",
  "encoding",
]);
const isNameMap = (path: Path) =>
  NAME_MAPS.has(String(path.at(-1))) ||
  (path.length === 1 && ["paths", "components", "webhooks"].includes(String(path[0]))) ||
  (path.length === 2 && path[0] === "components");
/** Where `tags` lists an operation's (or the document's) tags: documentation grouping. */
const isTagList = (path: Path, key: string) =>
  key === "tags" && (path.length === 0 || (path[0] === "paths" && path.length === 3));
const isDocKey = (path: Path, key: string) =>
  !isNameMap(path) && (DOC_KEYS.has(key) || isTagList(path, key));
const isInfoVersion = (path: Path, key: string) =>
  path.length === 1 && path[0] === "info" && key === "version";

/** Reports every documentation value that differs where both documents have the same node. */
export function compareDocs(a: unknown, b: unknown, path: Path, add: AddChange): void {
  if (!isObject(a) || !isObject(b)) return;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return;
    const key = (item: unknown, i: number) =>
      isObject(item) && item.name ? `${item.in ?? ""}:${item.name}` : i;
    const byKey = new Map(b.map((item, i) => [key(item, i), item]));
    a.forEach((item, i) => {
      const k = key(item, i);
      const label = isObject(item) && item.name ? `[${item.name}]` : `[${i}]`;
      if (byKey.has(k)) compareDocs(item, byKey.get(k), [...path, label], add);
    });
    return;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (isDocKey(path, key)) {
      if (equal(a[key], b[key])) continue;
      const how = !(key in a) ? "added" : !(key in b) ? "removed" : "changed";
      add("patch", formatPath(path), `${key} ${how}`);
    } else if (isInfoVersion(path, key)) {
      if (a.version !== b.version) add("patch", "info", `version ${a.version} → ${b.version}`);
    } else if (key in a && key in b) {
      compareDocs(a[key], b[key], [...path, key], add);
    }
  }
}

/** The document without its documentation, to find what else differs. */
export function stripDocs(node: unknown, path: Path = []): unknown {
  if (Array.isArray(node)) return node.map((item, i) => stripDocs(item, [...path, i]));
  if (!isObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !isDocKey(path, key) && !isInfoVersion(path, key))
      .map(([key, value]) => [key, stripDocs(value, [...path, key])]),
  );
}

/** The paths at which two values differ. */
export function diffPaths(a: unknown, b: unknown, path: Path = []): Path[] {
  if (equal(a, b)) return [];
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) => diffPaths((a as Node)[key], (b as Node)[key], [...path, key]));
}

/** ["paths", "/x", "get", "parameters", "[page]"] → "GET /x parameters[page]". */
export function formatPath(path: Path): string {
  if (path.length === 0) return "spec";
  if (path[0] === "paths" && path.length >= 3) {
    const [, route, method, ...rest] = path;
    return [`${String(method).toUpperCase()} ${route}`, ...rest].join(" ").replace(/ \[/g, "[");
  }
  return path.join(".").replace(/\.\[/g, "[");
}
