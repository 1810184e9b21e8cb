#!/usr/bin/env node
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
// Levels (see scripts/lib/spec-diff.mjs): major, minor, patch, none.
import { existsSync, readFileSync } from "node:fs";
import { basename, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import {
  diffProvider,
  formatReport,
  specAtRevision,
  specNames,
  writeChangeset,
} from "./lib/spec-diff.mjs";
import { DEFAULT_ROOT } from "./lib/specs.mjs";

const USAGE = `usage: pnpm spec-diff <old.yaml> <new.yaml> [--changeset] [--json]
       pnpm spec-diff [provider ...] [--base <git-rev>] [--changeset] [--json]`;
let args;
let positionals;
try {
  ({ values: args, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h", default: false },
      base: { type: "string", default: "HEAD" },
      changeset: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      root: { type: "string", default: DEFAULT_ROOT },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const ROOT = resolve(args.root);

try {
  const results = [];
  const fileMode = positionals.length === 2 && positionals.every((p) => /\.ya?ml$/.test(p));
  if (fileMode) {
    // pnpm runs scripts from the root; INIT_CWD is where the user typed the paths.
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm and npm; no turbo task reads it
    const cwd = process.env.INIT_CWD ?? process.cwd();
    const [oldFile, newFile] = positionals.map((p) => resolve(cwd, p));
    for (const file of [oldFile, newFile]) {
      if (!existsSync(file)) throw new Error(`spec-diff: ${file} does not exist`);
    }
    const oldText = readFileSync(oldFile, "utf8");
    const newText = readFileSync(newFile, "utf8");
    const name =
      parse(newText)?.["x-spendkit"]?.name ??
      parse(oldText)?.["x-spendkit"]?.name ??
      basename(newFile).replace(/\.ya?ml$/, "");
    results.push({
      title: `spec-diff ${relative(cwd, oldFile)} → ${relative(cwd, newFile)}`,
      ...diffProvider(ROOT, name, oldText, newText),
    });
  } else {
    const explicit = positionals.length > 0;
    for (const name of explicit ? positionals : specNames(ROOT, args.base)) {
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
    if (!explicit && results.length === 0) {
      console.log(`spec-diff: no spec differs from ${args.base}`);
    }
  }

  for (const result of results) {
    if (args.changeset) result.written = writeChangeset(result);
  }
  if (args.json) {
    console.log(
      JSON.stringify(
        results.map(({ name, diff, packages, written }) => ({ name, ...diff, packages, written })),
        null,
        2,
      ),
    );
  } else {
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
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
