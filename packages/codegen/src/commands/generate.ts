// specs/<name>.yaml → packages/<name>/src/{schema,operations,responses,index}.ts, plus a package skeleton
// the first time a spec appears.
//
//   pnpm generate                 regenerate every package
//   pnpm generate --only <name>   one package
//   pnpm generate --check         write nothing; exit 1 naming every stale or missing file
//   --root DIR                    work on another checkout (the folder holding specs/ and packages/)
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { generate } from "../generate/outputs.js";
import { REPO_ROOT } from "../spec/load.js";

const { values: args } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    only: { type: "string" },
    root: { type: "string", default: REPO_ROOT },
  },
});

let stale: string[];
try {
  stale = await generate(resolve(args.root), { check: args.check, only: args.only });
} catch (error) {
  // A spec the client cannot serve: its message names the spec and the place.
  console.error(`generate: ${(error as Error).message}`);
  process.exit(1);
}
if (stale.length) {
  console.error(
    `Generated files are out of date with specs/. Run \`pnpm generate\` and commit:\n  ${stale.join("\n  ")}`,
  );
  process.exit(1);
}
if (args.check) console.log("generate --check: every generated file matches its spec");
