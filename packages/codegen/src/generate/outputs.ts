// What `pnpm generate` writes for a checkout, and what in it is stale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { readCoreApi } from "../core-api.js";
import { loadSpecs, type Spec } from "../spec/load.js";
import { indexFile, operationsFile, responsesFile, schemaFile } from "./files.js";
import { format } from "./format.js";
import { registryOutputs } from "./registry.js";
import { scaffoldFiles } from "./scaffold.js";

export interface Output {
  /** Absolute path of the file. */
  file: string;
  content: string;
  /** Generated files are rewritten on every run; scaffold files only written when missing. */
  kind: "generated" | "scaffold";
}

/** Every file generated from one spec, formatted. `root` is the checkout to generate into. */
async function outputsOf(
  root: string,
  spec: Spec,
  core = readCoreApi(join(root, "packages/core")),
): Promise<Output[]> {
  const dir = join(root, "packages", spec.name);
  const generated = {
    "src/schema.ts": format(await schemaFile(spec), "schema.ts"),
    "src/operations.ts": format(operationsFile(spec, core), "operations.ts"),
    "src/responses.ts": format(responsesFile(spec), "responses.ts"),
    "src/index.ts": format(indexFile(spec, core), "index.ts"),
  };
  return [
    ...Object.entries(generated).map(([file, content]) => ({
      file: join(dir, file),
      content,
      kind: "generated" as const,
    })),
    ...Object.entries(scaffoldFiles(spec)).map(([file, content]) => ({
      file: join(dir, file),
      content,
      kind: "scaffold" as const,
    })),
  ];
}

interface Difference {
  output: Output;
  state: "missing" | "stale";
}

/** What differs from the checkout: a generated file missing or stale, a scaffold file missing. */
function differences(outputs: Output[]): Difference[] {
  return outputs.flatMap((output): Difference[] => {
    const current = existsSync(output.file) ? readFileSync(output.file, "utf8") : undefined;
    if (current === undefined) return [{ output, state: "missing" }];
    if (output.kind === "generated" && current !== output.content)
      return [{ output, state: "stale" }];
    return [];
  });
}

/** Generates every spec of a checkout (or the one named `only`); returns what is or was stale. */
export async function generate(
  root: string,
  { check, only }: { check: boolean; only?: string | undefined },
): Promise<string[]> {
  const core = readCoreApi(join(root, "packages/core"));
  const specs = loadSpecs(root, only);
  const outputs: Output[] = [];
  for (const spec of specs) outputs.push(...(await outputsOf(root, spec, core)));
  // The registry lists every provider: it is written only when every spec is generated.
  if (only === undefined) outputs.push(...registryOutputs(root, specs));
  const stale: string[] = [];
  for (const { output, state } of differences(outputs)) {
    const name = relative(root, output.file);
    if (check) {
      stale.push(`${name} (${state})`);
      continue;
    }
    mkdirSync(dirname(output.file), { recursive: true });
    writeFileSync(output.file, output.content);
    console.log(`wrote ${name}`);
  }
  return stale;
}
