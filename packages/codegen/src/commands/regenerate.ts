// One command for "a provider's docs changed". After editing specs/<provider>.yaml:
//
//   pnpm regenerate [provider ...] [--base <git-rev>] [--no-changeset]
//
//   1. spec-diff against git (default HEAD): what changed, and the bump it calls for
//   2. pnpm generate --only <provider>: the package's generated code (a new spec also gets a
//      package skeleton, which `pnpm install` then links into the workspace)
//   3. build and typecheck the package and every package that depends on it (turbo)
//   4. the package's contract tests, against a Prism mock of the edited spec
//   5. the changeset, written by spec-diff, only when every step passed
//
// Without a provider, every spec that differs from the base is regenerated.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pnpmCommand } from "../pnpm.js";
import { REPO_ROOT } from "../spec/load.js";
import { specAtRevision, specNames } from "../spec-diff/git.js";
import { diffProvider, type ProviderDiff, writeProviderChangeset } from "../spec-diff/provider.js";
import { formatReport } from "../spec-diff/report.js";

const USAGE = "usage: pnpm regenerate [provider ...] [--base <git-rev>] [--no-changeset]";

function cli() {
  try {
    return parseArgs({
      allowPositionals: true,
      allowNegative: true,
      options: {
        help: { type: "boolean", short: "h", default: false },
        base: { type: "string", default: "HEAD" },
        changeset: { type: "boolean", default: true },
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

function step(title: string, [command, argv]: [string, string[]]) {
  console.log(`\n▸ ${title}\n  $ ${[command, ...argv].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, argv, { cwd: ROOT, stdio: "inherit" });
  if (result.error) throw new Error(`${title}: ${result.error.message}`);
  if (result.status !== 0) {
    console.error(`\n✗ ${title} failed (exit ${result.status}); no changeset was written.`);
    process.exit(result.status ?? 1);
  }
  console.log(`  ✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** The specs to regenerate: those named, or every one that differs from the base. */
function changedSpecs(): ProviderDiff[] {
  const results: ProviderDiff[] = [];
  for (const name of positionals.length ? positionals : specNames(ROOT, args.base)) {
    const file = join(ROOT, "specs", `${name}.yaml`);
    const newText = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (newText === undefined) {
      throw new Error(
        `regenerate: specs/${name}.yaml does not exist${positionals.length ? "" : ` (deleted: remove packages/${name} by hand)`}`,
      );
    }
    const result = diffProvider(ROOT, name, specAtRevision(ROOT, args.base, name), newText);
    if (!positionals.length && result.diff.level === "none") continue;
    results.push(result);
  }
  return results;
}

try {
  const results = changedSpecs();
  if (results.length === 0) {
    console.log(`regenerate: no spec differs from ${args.base}; nothing to do.`);
    process.exit(0);
  }
  for (const result of results) {
    console.log(formatReport(`spec-diff ${result.name}: ${args.base} → working tree`, result.diff));
  }
  const packages: string[] = [];
  let added = false;
  for (const { name, packages: affected } of results) {
    added ||= !existsSync(join(ROOT, "packages", name, "package.json"));
    step(`generate ${name}`, [
      process.execPath,
      [join(ROOT, "scripts/generate.mjs"), "--root", ROOT, "--only", name],
    ]);
    packages.push(affected[0]!);
  }
  if (added) step("link the new package", pnpmCommand(["install", "--prefer-offline"]));
  const filters = packages.map((p) => `--filter=...${p}`);
  step(
    "build and typecheck (with dependents)",
    pnpmCommand([
      "exec",
      "turbo",
      "run",
      "build",
      "typecheck",
      "--output-logs=errors-only",
      ...filters,
    ]),
  );
  for (const p of packages) step(`contract tests of ${p}`, pnpmCommand(["--filter", p, "test"]));

  console.log("");
  for (const result of results) {
    const written = args.changeset ? writeProviderChangeset(result) : undefined;
    const bump = result.diff.level === "none" ? "no release" : `${result.diff.level} bump`;
    console.log(
      `✓ ${result.name}: regenerated, built, contract tests pass; ${bump}` +
        (written ? ` → ${relative(ROOT, written)} (${result.packages.join(", ")})` : ""),
    );
  }
  console.log("\nReview `git diff`, then commit the spec, the generated files and the changeset.");
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
