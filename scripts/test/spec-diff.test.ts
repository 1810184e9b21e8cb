import { execFile, execFileSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

// `pnpm spec-diff` as users run it; how it classifies each change is tested beside the code, in
// packages/codegen/test/spec-diff.test.ts, on the same fixtures.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "scripts/spec-diff.mjs");
const FIXTURES = join(ROOT, "packages/codegen/test/fixtures/spec-diff");

interface Failure {
  code: number;
  stdout: string;
  stderr: string;
}

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** A checkout with a provider package, a package that depends on it, and a private one. */
function scratchRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), "spendkit-spec-diff-"));
  const pkg = (folder: string, json: object) => {
    mkdirSync(join(dir, "packages", folder), { recursive: true });
    writeFileSync(join(dir, "packages", folder, "package.json"), JSON.stringify(json));
  };
  pkg("acme", { name: "@spendkit/acme", version: "1.0.0" });
  pkg("aggregate", {
    name: "spendkit",
    version: "1.0.0",
    dependencies: { "@spendkit/acme": "workspace:^" },
  });
  pkg("mock", {
    name: "@spendkit/mock",
    private: true,
    dependencies: { "@spendkit/acme": "workspace:^" },
  });
  pkg("other", { name: "@spendkit/other", version: "1.0.0" });
  return dir;
}

const cli = (...args: string[]) => run(process.execPath, [CLI, ...args]);
const cliFailure = (...args: string[]) =>
  cli(...args).then(
    () => {
      throw new Error("spec-diff succeeded");
    },
    (error: Failure) => error,
  );
const changesets = (dir: string) => {
  try {
    return readdirSync(join(dir, ".changeset")).map((f) =>
      readFileSync(join(dir, ".changeset", f), "utf8"),
    );
  } catch {
    return [];
  }
};

describe("pnpm spec-diff <old.yaml> <new.yaml>", () => {
  it("prints a report with each change and its level", async () => {
    const { stdout } = await cli(
      join(FIXTURES, "base.yaml"),
      join(FIXTURES, "removed-enum-value.yaml"),
    );
    expect(stdout).toMatch(/major\s+listTransactions: input `kind`: enum value "refund" removed/);
    expect(stdout).toContain("→ major bump");
  });

  it.each([
    ["removed-operation", "major"],
    ["added-optional-field", "minor"],
    ["description-only", "patch"],
  ])(
    "--changeset for %s releases the provider and its dependents with a %s bump",
    async (name, level) => {
      scratch = scratchRoot();
      const { stdout } = await cli(
        join(FIXTURES, "base.yaml"),
        join(FIXTURES, `${name}.yaml`),
        "--changeset",
        "--root",
        scratch,
      );
      expect(stdout).toMatch(/wrote \.changeset\/acme-spec-[0-9a-f]{8}\.md/);
      const [text, ...more] = changesets(scratch);
      expect(more).toEqual([]);
      // The frontmatter changesets reads: the provider and the aggregate that re-exports it; not
      // private packages, not unrelated ones.
      expect(text!.split("---")[1]!.trim().split("\n")).toEqual([
        `"@spendkit/acme": ${level}`,
        `"spendkit": ${level}`,
      ]);
      expect(text).toContain(`Regenerated from \`specs/acme.yaml\` (spec-diff: ${level}).`);
      expect(text).toMatch(new RegExp(`^- ${level}: `, "m"));
    },
  );

  it("--changeset writes nothing for an identical spec", async () => {
    scratch = scratchRoot();
    const { stdout } = await cli(
      join(FIXTURES, "base.yaml"),
      join(FIXTURES, "identical.yaml"),
      "--changeset",
      "--root",
      scratch,
    );
    expect(stdout).toContain("no changes");
    expect(stdout).toContain("no changeset needed");
    expect(changesets(scratch)).toEqual([]);
  });

  it("fails clearly on a missing file", async () => {
    const failure = await cliFailure(join(FIXTURES, "base.yaml"), join(FIXTURES, "nope.yaml"));
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/nope\.yaml does not exist/);
  });
});

describe("pnpm spec-diff <provider> (against git)", () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    });

  function gitScratch(): string {
    const dir = scratchRoot();
    mkdirSync(join(dir, "specs"));
    copyFileSync(join(FIXTURES, "base.yaml"), join(dir, "specs/acme.yaml"));
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "base");
    return dir;
  }

  it("compares the working tree with HEAD, and writes one changeset however often it runs", async () => {
    scratch = gitScratch();
    copyFileSync(join(FIXTURES, "added-operation.yaml"), join(scratch, "specs/acme.yaml"));
    const first = await cli("acme", "--root", scratch, "--changeset");
    expect(first.stdout).toContain("spec-diff acme: HEAD → working tree");
    expect(first.stdout).toMatch(/minor\s+getUsage: operation added/);
    // A second edit before committing: the same changeset is rewritten with the new bump.
    copyFileSync(join(FIXTURES, "removed-operation.yaml"), join(scratch, "specs/acme.yaml"));
    await cli("acme", "--root", scratch, "--changeset");
    const written = changesets(scratch);
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('"@spendkit/acme": major');
  });

  it("--base compares with another revision; without a provider, every changed spec", async () => {
    scratch = gitScratch();
    copyFileSync(join(FIXTURES, "description-only.yaml"), join(scratch, "specs/acme.yaml"));
    git(scratch, "commit", "-qam", "docs");
    expect((await cli("acme", "--root", scratch)).stdout).toContain("no changes");
    const { stdout } = await cli("--root", scratch, "--base", "HEAD~1");
    expect(stdout).toContain("spec-diff acme: HEAD~1 → working tree");
    expect(stdout).toContain("→ patch bump");
    expect((await cli("--root", scratch)).stdout).toContain("no spec differs from HEAD");
  });

  it("treats a spec that is not in git yet as a new package", async () => {
    scratch = gitScratch();
    copyFileSync(join(FIXTURES, "base.yaml"), join(scratch, "specs/other.yaml"));
    const { stdout } = await cli("other", "--root", scratch);
    expect(stdout).toMatch(/minor\s+spec: new spec/);
  });

  it("fails clearly on an unknown revision or provider", async () => {
    scratch = gitScratch();
    const badRev = await cliFailure("acme", "--root", scratch, "--base", "nope");
    expect(badRev.stderr).toMatch(/"nope" is not a git revision/);
    const badName = await cliFailure("nope", "--root", scratch);
    expect(badName.stderr).toMatch(/no specs\/nope\.yaml/);
  });
});
