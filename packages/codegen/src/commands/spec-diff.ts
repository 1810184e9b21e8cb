// What changed between two versions of a provider spec, and which release that calls for.
//
//   pnpm spec-diff <old.yaml> <new.yaml>        compare two files
//   pnpm spec-diff <provider> [--base <rev>]    specs/<provider>.yaml in the working tree against
//                                               git (default HEAD)
//   pnpm spec-diff [--base <rev>]               every spec that differs from git
//   --changeset                                 also write .changeset/<provider>-spec-<hash>.md
//                                               releasing the provider's package (and the
//                                               packages that depend on it) with that bump
//   --json                                      print the result as JSON
//   --root DIR                                  work on another checkout
//
// Levels (see ../spec-diff/compare.ts): major, minor, patch, none.
import { existsSync, readFileSync } from "node:fs";
import { basename, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { REPO_ROOT } from "../spec/load.js";
import { specAtRevision, specNames } from "../spec-diff/git.js";
import { diffProvider, type ProviderDiff, writeProviderChangeset } from "../spec-diff/provider.js";
import { formatReport } from "../spec-diff/report.js";

const USAGE = `usage: pnpm spec-diff <old.yaml> <new.yaml> [--changeset] [--json]
       pnpm spec-diff [provider ...] [--base <git-rev>] [--changeset] [--json]`;

function cli() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h", default: false },
        base: { type: "string", default: "HEAD" },
        changeset: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        root: { type: "string", default: REPO_ROOT },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}
const { values: args, positionals } = cli();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const ROOT = resolve(args.root);

interface Result extends ProviderDiff {
  title: string;
  written?: string | undefined;
}

/** `spec-diff <old.yaml> <new.yaml>`: the package is the one the spec names. */
function fileResult(oldPath: string, newPath: string): Result {
  // pnpm runs scripts from the root; INIT_CWD is where the user typed the paths.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const [oldFile, newFile] = [oldPath, newPath].map((p) => resolve(cwd, p)) as [string, string];
  for (const file of [oldFile, newFile]) {
    if (!existsSync(file)) throw new Error(`spec-diff: ${file} does not exist`);
  }
  const oldText = readFileSync(oldFile, "utf8");
  const newText = readFileSync(newFile, "utf8");
  const name: string =
    parse(newText)?.["x-spendkit"]?.name ??
    parse(oldText)?.["x-spendkit"]?.name ??
    basename(newFile).replace(/\.ya?ml$/, "");
  return {
    title: `spec-diff ${relative(cwd, oldFile)} → ${relative(cwd, newFile)}`,
    ...diffProvider(ROOT, name, oldText, newText),
  };
}

/** `spec-diff [provider ...]`: the working tree against git; by default every changed spec. */
function gitResults(names: string[]): Result[] {
  const explicit = names.length > 0;
  const results: Result[] = [];
  for (const name of explicit ? names : specNames(ROOT, args.base)) {
    if (/[/\\]|\.ya?ml$/.test(name)) {
      throw new Error(`spec-diff: give two spec files, or provider names (got "${name}")`);
    }
    const file = resolve(ROOT, "specs", `${name}.yaml`);
    const newText = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    const oldText = specAtRevision(ROOT, args.base, name);
    if (explicit && newText === undefined && oldText === undefined) {
      throw new Error(`spec-diff: no specs/${name}.yaml in the working tree or at ${args.base}`);
    }
    const result = diffProvider(ROOT, name, oldText, newText);
    if (!explicit && result.diff.level === "none") continue;
    results.push({ title: `spec-diff ${name}: ${args.base} → working tree`, ...result });
  }
  if (!explicit && results.length === 0)
    console.log(`spec-diff: no spec differs from ${args.base}`);
  return results;
}

function print(results: Result[]) {
  if (args.json) {
    const json = results.map(({ name, diff, packages, written }) => ({
      name,
      ...diff,
      packages,
      written,
    }));
    console.log(JSON.stringify(json, null, 2));
    return;
  }
  for (const result of results) {
    console.log(formatReport(result.title, result.diff));
    if (result.diff.level !== "none") {
      console.log(
        `  releases: ${result.packages.map((p) => `${p} (${result.diff.level})`).join(", ")}`,
      );
    }
    if (result.written) console.log(`  wrote ${relative(ROOT, result.written)}`);
    else if (args.changeset && result.diff.level === "none") console.log("  no changeset needed");
  }
}

try {
  const [first, second] = positionals;
  const fileMode =
    positionals.length === 2 && positionals.every((p) => /\.ya?ml$/.test(p)) && first && second;
  const results = fileMode ? [fileResult(first, second)] : gitResults(positionals);
  for (const result of results) {
    if (args.changeset) result.written = writeProviderChangeset(result);
  }
  print(results);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
