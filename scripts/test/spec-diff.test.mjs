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
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { diffSpecs, LEVELS } from "../lib/spec-diff.mjs";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = join(ROOT, "scripts/spec-diff.mjs");
const FIXTURES = new URL("./fixtures/spec-diff/", import.meta.url).pathname;
const read = (name) => readFileSync(join(FIXTURES, `${name}.yaml`), "utf8");
const base = parse(read("base"));

// Each fixture is a new version of base.yaml: the bump it calls for, and the changes it must name.
const CASES = {
  "removed-operation": ["major", [/getBalance: operation removed \(GET \/v1\/balance\)/]],
  "removed-enum-value": [
    "major",
    [
      /input `kind`: enum value "refund" removed/,
      /response\.items\[\]\.kind: enum value "refund" removed/,
    ],
  ],
  "newly-required-field": ["major", [/topUp: input field `note` is now required/]],
  "narrowed-constraint": ["major", [/input `page_size`: maximum lowered from 200 to 100/]],
  "removed-response-field": ["major", [/response\.items\[\]\.note: removed/]],
  "nullable-response-field": ["major", [/response\.available_usd: .*may now be null/]],
  "added-operation": ["minor", [/getUsage: operation added \(GET \/v1\/usage\)/]],
  "added-optional-field": ["minor", [/listTransactions: new optional input field `since`/]],
  "added-enum-value": ["minor", [/enum value "bonus" added/]],
  "added-response-field": ["minor", [/response\.items\[\]\.currency: new field/]],
  "widened-constraint": ["minor", [/maximum raised from 200 to 500/]],
  "description-only": [
    "patch",
    [
      /GET \/v1\/transactions: description changed/,
      /GET \/v1\/balance: summary changed/,
      /example changed/,
      /components\.schemas\.Kind: description changed/,
    ],
  ],
  identical: ["none", []],
};

const lines = (diff) => diff.changes.map((c) => `${c.level} ${c.subject}: ${c.message}`);

describe("spec-diff classifies each kind of change", () => {
  it("has a case for every fixture", () => {
    const fixtures = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".yaml") && f !== "base.yaml")
      .map((f) => f.replace(/\.yaml$/, ""));
    expect(fixtures.sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES).map(([name, [level, expected]]) => [name, level, expected]))(
    "%s → %s",
    (name, level, expected) => {
      const diff = diffSpecs(base, parse(read(name)));
      expect(diff.level, lines(diff).join("\n")).toBe(level);
      for (const pattern of expected) {
        expect(
          lines(diff).some((line) => pattern.test(line)),
          `${pattern}\n${lines(diff).join("\n")}`,
        ).toBe(true);
      }
      // Nothing in the change is classified above the fixture's own level.
      for (const change of diff.changes) {
        expect(LEVELS.indexOf(change.level)).toBeLessThanOrEqual(LEVELS.indexOf(level));
      }
      if (level === "none") expect(diff.changes).toEqual([]);
    },
  );

  it("reads the reverse of an addition as a removal", () => {
    expect(diffSpecs(parse(read("added-operation")), base).level).toBe("major");
    expect(diffSpecs(parse(read("added-enum-value")), base).level).toBe("major");
    expect(diffSpecs(parse(read("narrowed-constraint")), base).level).toBe("minor");
  });

  it("treats a new spec as a minor release and a deleted one as a major", () => {
    expect(diffSpecs(null, base).level).toBe("minor");
    expect(diffSpecs(base, null).level).toBe("major");
  });

  it("does not mistake a property named like a documentation keyword for documentation", () => {
    const next = structuredClone(base);
    next.components.schemas.Transaction.properties.description = { type: "string" };
    expect(diffSpecs(base, next).level).toBe("minor");
    const back = diffSpecs(next, base);
    expect(back.level).toBe("major");
    expect(lines(back)).toContain("major listTransactions: response.items[].description: removed");
  });

  it.each(readdirSync(join(ROOT, "specs")).filter((f) => f.endsWith(".yaml")))(
    "finds no change between specs/%s and itself",
    (file) => {
      const doc = parse(readFileSync(join(ROOT, "specs", file), "utf8"));
      expect(diffSpecs(doc, structuredClone(doc))).toEqual({ level: "none", changes: [] });
    },
  );
});

let scratch;
afterEach(() => scratch && rmSync(scratch, { recursive: true, force: true }));

/** A checkout with a provider package, a package that depends on it, and a private one. */
function scratchRoot() {
  const dir = mkdtempSync(join(tmpdir(), "spendkit-spec-diff-"));
  const pkg = (folder, json) => {
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

const cli = (...args) => run(process.execPath, [CLI, ...args]);
const changesets = (dir) => {
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
      expect(text.split("---")[1].trim().split("\n")).toEqual([
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
    const failure = await cli(join(FIXTURES, "base.yaml"), join(FIXTURES, "nope.yaml")).catch(
      (e) => e,
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/nope\.yaml does not exist/);
  });
});

describe("pnpm spec-diff <provider> (against git)", () => {
  const git = (dir, ...args) =>
    execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    });

  function gitScratch() {
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
    const badRev = await cli("acme", "--root", scratch, "--base", "nope").catch((e) => e);
    expect(badRev.stderr).toMatch(/"nope" is not a git revision/);
    const badName = await cli("nope", "--root", scratch).catch((e) => e);
    expect(badName.stderr).toMatch(/no specs\/nope\.yaml/);
  });
});
