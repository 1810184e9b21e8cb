// `pnpm regenerate`, end to end, in a scratch repository: a copy of this checkout's files
// (committed, so that HEAD is the state under test), installed offline from the pnpm store.
//
// The full run (a spec edit → generate, build and typecheck every affected package, contract
// tests, changeset) rebuilds the whole workspace, since every package's build depends on
// specs/**: a minute or two, worth it for the path maintainers take whenever docs change.
import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pnpmCommand } from "../../packages/codegen/src/pnpm.js";
import { affectedPackages } from "../../packages/codegen/src/spec-diff/packages.js";
import { git, scratchCopy } from "./scratch.js";

const exec = promisify(execFile);

interface Failure {
  code: number;
  stdout: string;
  stderr: string;
}

let scratch = "";
const SPEC = () => join(scratch, "specs/bytespike.yaml");
const regenerate = (...args: string[]) =>
  exec(process.execPath, [join(scratch, "scripts/regenerate.mjs"), ...args], {
    cwd: scratch,
    maxBuffer: 64 << 20,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, out: `${stdout}${stderr}` }),
    (error: Failure) => ({ code: error.code, out: `${error.stdout}${error.stderr}` }),
  );
/** The spec changesets the runs wrote: those git does not know (the checkout may have some). */
const changesets = () =>
  git(scratch, "ls-files", "--others", "--exclude-standard", "--", ".changeset")
    .split("\n")
    .filter((f) => /-spec-/.test(f))
    .map((f) => basename(f));
const restoreSpec = () => git(scratch, "checkout", "--", "specs/bytespike.yaml");

beforeAll(async () => {
  scratch = scratchCopy("regenerate");
  const [command, args] = pnpmCommand(["install", "--offline", "--frozen-lockfile"]);
  await exec(command, args, { cwd: scratch, maxBuffer: 64 << 20 }).catch((error: Failure) => {
    throw new Error(
      `pnpm install --offline in the scratch failed:\n${error.stdout}${error.stderr}`,
    );
  });
}, 120_000);

afterAll(() => scratch && rmSync(scratch, { recursive: true, force: true }), 120_000);

describe("pnpm regenerate", () => {
  it("does nothing when no spec differs from HEAD", async () => {
    const { code, out } = await regenerate();
    expect(code).toBe(0);
    expect(out).toContain("no spec differs from HEAD");
  });

  it("stops at the first failing step and writes no changeset", async () => {
    // Two operations named alike: the generator refuses the spec.
    writeFileSync(
      SPEC(),
      readFileSync(SPEC(), "utf8").replace("operationId: getAccount", "operationId: getUsage"),
    );
    const { code, out } = await regenerate("bytespike");
    restoreSpec();
    expect(code).not.toBe(0);
    expect(out).toMatch(/unique `operationId`|operationId "getUsage" is used twice/);
    expect(out).toContain("no changeset was written");
    expect(changesets()).toEqual([]);
  });

  it("after a spec edit: regenerates, builds, runs the contract tests and writes the changeset", async () => {
    const spec = readFileSync(SPEC(), "utf8");
    const kind = "        - name: kind\n          in: query\n";
    expect(spec).toContain(kind);
    writeFileSync(
      SPEC(),
      spec.replace(
        kind,
        `        - name: model
          in: query
          description: Only rows booked for calls to this model.
          schema: { type: string, minLength: 1 }
          example: doubao-seed-1.6
${kind}`,
      ),
    );
    const { code, out } = await regenerate("bytespike");
    expect(code, out).toBe(0);
    expect(out).toMatch(/minor\s+listTransactions: new optional input field `model`/);
    expect(out).toMatch(/✓ contract tests of @spendkit\/bytespike/);

    // The regenerated package: the new field is in the types and in the operations table.
    const changed = git(scratch, "status", "--porcelain").split("\n").filter(Boolean);
    expect(changed).toEqual(
      expect.arrayContaining([
        " M specs/bytespike.yaml",
        " M packages/bytespike/src/schema.ts",
        " M packages/bytespike/src/operations.ts",
      ]),
    );
    expect(readFileSync(join(scratch, "packages/bytespike/src/schema.ts"), "utf8")).toMatch(
      /model\?: string;/,
    );
    const table = readFileSync(join(scratch, "packages/bytespike/src/operations.ts"), "utf8");
    expect(table).toMatch(/model: \{\s*type: "string",\s*minLength: 1,?\s*\}/);
    await exec(process.execPath, [join(scratch, "scripts/generate.mjs"), "--check"], {
      cwd: scratch,
    });

    // The changeset: the provider and every published package that depends on it, minor.
    const [file, ...more] = changesets();
    expect(more).toEqual([]);
    expect(file).toMatch(/^bytespike-spec-[0-9a-f]{8}\.md$/);
    const text = readFileSync(join(scratch, ".changeset", file!), "utf8");
    const releases = affectedPackages(scratch, "bytespike").map((p) => `"${p}": minor`);
    expect(releases[0]).toBe('"@spendkit/bytespike": minor');
    expect(text.split("---")[1]!.trim().split("\n")).toEqual(releases);
    expect(text).toContain("- minor: listTransactions: new optional input field `model`");
  }, 420_000);
});
