// Part of `pnpm lint`: fails when this branch changes a spec or a published package without
// adding a changeset. Compared with the merge base of `origin/main` (or `main`), including
// uncommitted and untracked files, so it fails locally before it fails in CI.
//
//   node scripts/check-changeset.mjs [--base <ref>] [--root DIR]
//
// Passes on main itself, on the changesets "Version packages" branch (it consumes changesets),
// and where there is no history to compare with (no git, no main branch, a shallow clone).
// Changes that ship nothing need no changeset: tests, benchmarks, vitest configs, changelogs,
// private packages, and under specs/ anything but the specs themselves (specs/*.yaml).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../spec/load.js";

const { values: args } = parseArgs({
  options: {
    base: { type: "string" },
    root: { type: "string", default: REPO_ROOT },
  },
});
const ROOT = resolve(args.root);

function git(...argv: string[]): string | undefined {
  const result = spawnSync("git", argv, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
const pass = (why: string): never => {
  console.log(`check-changeset: ok (${why})`);
  process.exit(0);
};

if (git("rev-parse", "--is-inside-work-tree") !== "true") pass("not a git checkout");
const branch = process.env.GITHUB_HEAD_REF || git("branch", "--show-current") || "";
if (branch === "main") pass("on main");
if (branch.startsWith("changeset-release/")) pass("the changesets release branch");
const base =
  args.base ??
  ["origin/main", "main"].find((ref) =>
    git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`),
  ) ??
  pass("no main branch to compare with");
const mergeBase = git("merge-base", "HEAD", base) ?? pass(`no history shared with ${base}`);

// name-status against the merge base: commits of this branch plus uncommitted edits.
const changes = (git("diff", "--name-status", "--no-renames", mergeBase) ?? "")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [status = "", file = ""] = line.split("\t");
    return { status: status[0], file };
  });
for (const file of (git("ls-files", "--others", "--exclude-standard") ?? "").split("\n")) {
  if (file) changes.push({ status: "A", file });
}

const isChangeset = (file: string) =>
  /^\.changeset\/[^/]+\.md$/.test(file) && file !== ".changeset/README.md";
const added = changes.filter((c) => c.status === "A" && isChangeset(c.file));
const consumed = changes.filter((c) => c.status === "D" && isChangeset(c.file));
if (added.length === 0 && consumed.length > 0) pass("changesets consumed: a version bump");

const publishable = new Set(
  readdirSync(join(ROOT, "packages"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((dir) => {
      const file = join(ROOT, "packages", dir, "package.json");
      const text = existsSync(file)
        ? readFileSync(file, "utf8")
        : git("show", `${mergeBase}:packages/${dir}/package.json`);
      if (text === undefined) return false;
      try {
        return !JSON.parse(text).private;
      } catch {
        return true; // a manifest that does not parse yet: count it as published
      }
    }),
);
const SHIPS_NOTHING =
  /(^|\/)(test|tests|__tests__|bench|benchmarks?)\/|\.(test|spec|bench)\.[cm]?[jt]sx?$|(^|\/)vitest\.config\.[cm]?[jt]s$|(^|\/)CHANGELOG\.md$/;
const needing = changes
  .map((c) => c.file)
  .filter((file) => {
    if (/^specs\/[^/]+\.ya?ml$/.test(file)) return true;
    const match = /^packages\/([^/]+)\/(.+)$/.exec(file);
    return match !== null && publishable.has(match[1]!) && !SHIPS_NOTHING.test(match[2]!);
  });

if (needing.length === 0) pass(`nothing released changed since ${base}`);
if (added.length > 0) pass(`${added.map((c) => c.file).join(", ")} added`);

console.error(`check-changeset: these files change what gets published, but this branch adds no changeset (compared with ${base}):
  ${needing.slice(0, 20).join("\n  ")}${needing.length > 20 ? `\n  … and ${needing.length - 20} more` : ""}

Add one:
  pnpm spec-diff <provider> --changeset   for a spec change (classifies the bump for you)
  pnpm changeset                          for anything else
  pnpm changeset --empty                  when the change needs no release`);
process.exit(1);
