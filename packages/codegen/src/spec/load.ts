// Loading the spec files and checking the root extension every spec must have.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Node } from "./document.js";

/** The repository root: the folder that holds specs/ and packages/. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** `x-spendkit` at the root of a spec (specs/README.md). */
export interface RootExtension {
  name: string;
  factory: string;
  envelope?: { data: string; code: string; success: (number | string)[]; message?: string };
  error?: { type?: string[]; code?: string[]; message?: string[] };
  clientParams?: Record<
    string,
    { option: string; discover?: { operation: string; field: string } }
  >;
}

export interface Spec {
  /** Absolute path of the spec file. */
  file: string;
  fileName: string;
  name: string;
  factory: string;
  ext: RootExtension;
  /** servers[0].url: the client's default base URL. */
  baseUrl: string;
  document: Node;
}

/** Every provider spec: <root>/specs/<name>.yaml, parsed; only one when `only` names it. */
export function loadSpecs(root: string = REPO_ROOT, only?: string): Spec[] {
  const dir = join(root, "specs");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yaml") && (!only || file === `${only}.yaml`))
    .sort()
    .map((file) => loadSpec(join(dir, file)));
}

function loadSpec(file: string): Spec {
  const document: Node = parse(readFileSync(file, "utf8"));
  const ext: RootExtension | undefined = document["x-spendkit"];
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
