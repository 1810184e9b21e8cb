import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Node } from "../src/spec/document.js";
import type { Spec } from "../src/spec/load.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures/spec-diff/", import.meta.url));
export const CORE_DIR = fileURLToPath(new URL("../../core/", import.meta.url));

/** A spec-diff fixture, parsed. */
export const fixture = (name: string): Node =>
  parse(readFileSync(`${FIXTURES}${name}.yaml`, "utf8"));

/** A fixture as the generator loads a spec. */
export function fixtureSpec(name: string): Spec {
  const document = fixture(name);
  const ext = document["x-spendkit"];
  return {
    file: `${FIXTURES}${name}.yaml`,
    fileName: `${name}.yaml`,
    name: ext.name,
    factory: ext.factory,
    ext,
    baseUrl: document.servers[0].url,
    document,
  };
}
