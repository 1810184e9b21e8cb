import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const CHECK = fileURLToPath(new URL("../check-changeset.mjs", import.meta.url));

let scratch = "";
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = "";
});

const write = (file: string, text: string) => {
  mkdirSync(dirname(join(scratch, file)), { recursive: true });
  writeFileSync(join(scratch, file), text);
};
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
    cwd: scratch,
    encoding: "utf8",
  });
/** The check's outcome; GITHUB_HEAD_REF is cleared so that CI's own branch does not leak in. */
const check = (...args: string[]) =>
  run(process.execPath, [CHECK, "--root", scratch, ...args], {
    env: { ...process.env, GITHUB_HEAD_REF: "" },
  }).then(
    ({ stdout }) => ({ ok: true, out: stdout }),
    (error: { stdout: string; stderr: string }) => ({
      ok: false,
      out: `${error.stdout}${error.stderr}`,
    }),
  );

/** A repository on main with a spec, a published package and a private one. */
function repository() {
  scratch = mkdtempSync(join(tmpdir(), "spendkit-check-changeset-"));
  write("specs/acme.yaml", "openapi: 3.1.0\n");
  write("specs/README.md", "# Specs\n");
  write("packages/acme/package.json", '{ "name": "@spendkit/acme" }\n');
  write("packages/acme/src/index.ts", "export {};\n");
  write("packages/mock/package.json", '{ "name": "@spendkit/mock", "private": true }\n');
  write("packages/mock/src/index.ts", "export {};\n");
  write(".changeset/config.json", "{}\n");
  write(".changeset/README.md", "# Changesets\n");
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
}

const branch = () => git("checkout", "-q", "-b", "feature");

describe("check-changeset", () => {
  it("passes where there is no git history to compare with", async () => {
    scratch = mkdtempSync(join(tmpdir(), "spendkit-check-changeset-"));
    mkdirSync(join(scratch, "packages"));
    expect(await check()).toMatchObject({ ok: true, out: expect.stringContaining("not a git") });
  });

  it("passes on main itself, whatever changed", async () => {
    repository();
    write("specs/acme.yaml", "openapi: 3.1.1\n");
    expect(await check()).toMatchObject({ ok: true, out: expect.stringContaining("on main") });
  });

  it.each([
    ["a spec", "specs/acme.yaml"],
    ["a published package's source", "packages/acme/src/index.ts"],
    ["a published package's manifest", "packages/acme/package.json"],
  ])("fails when %s changes on a branch without a changeset", async (_, file) => {
    repository();
    branch();
    write(
      file,
      file.endsWith(".json") ? '{ "name": "@spendkit/acme", "version": "2.0.0" }\n' : "changed\n",
    );
    git("commit", "-qam", "change");
    const result = await check();
    expect(result.ok).toBe(false);
    expect(result.out).toContain(file);
    expect(result.out).toContain("pnpm changeset");
  });

  it("fails for uncommitted edits too, so that it fails before the push", async () => {
    repository();
    branch();
    write("packages/acme/src/new.ts", "export {};\n");
    expect((await check()).ok).toBe(false);
  });

  it("passes once the branch adds a changeset, committed or not", async () => {
    repository();
    branch();
    write("specs/acme.yaml", "openapi: 3.1.1\n");
    write(".changeset/acme-spec-1234abcd.md", '---\n"@spendkit/acme": patch\n---\n\nDocs.\n');
    expect(await check()).toMatchObject({ ok: true, out: expect.stringContaining("added") });
    git("add", "-A");
    git("commit", "-qm", "change");
    expect((await check()).ok).toBe(true);
  });

  it.each([
    ["tests", "packages/acme/test/contract.test.ts"],
    ["a private package", "packages/mock/src/index.ts"],
    ["the specs' README", "specs/README.md"],
    ["a script", "scripts/generate.mjs"],
  ])("passes when only %s changed", async (_, file) => {
    repository();
    branch();
    write(file, "changed\n");
    expect(await check()).toMatchObject({ ok: true, out: expect.stringContaining("nothing") });
  });

  it("passes on the branch that consumes changesets into versions", async () => {
    repository();
    write(".changeset/acme.md", '---\n"@spendkit/acme": patch\n---\n\nDocs.\n');
    git("add", "-A");
    git("commit", "-qm", "changeset");
    branch();
    unlinkSync(join(scratch, ".changeset/acme.md"));
    write("packages/acme/package.json", '{ "name": "@spendkit/acme", "version": "0.1.1" }\n');
    write("packages/acme/CHANGELOG.md", "# @spendkit/acme\n");
    expect(await check()).toMatchObject({ ok: true, out: expect.stringContaining("consumed") });
  });

  it("compares with origin/main when there is one, and --base overrides", async () => {
    repository();
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    branch();
    write("specs/acme.yaml", "openapi: 3.1.1\n");
    git("commit", "-qam", "spec");
    expect((await check()).out).toContain("origin/main");
    expect(await check("--base", "HEAD")).toMatchObject({ ok: true });
  });
});
