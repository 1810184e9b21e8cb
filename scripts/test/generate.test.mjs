import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
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

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const GENERATE = join(ROOT, "scripts/generate.mjs");
const SPECS = readdirSync(join(ROOT, "specs")).filter((f) => f.endsWith(".yaml"));

/** A scratch checkout holding the specs and each package's generated and scaffolded files. */
function scratchCheckout() {
  const dir = mkdtempSync(join(tmpdir(), "spendkit-generate-"));
  cpSync(join(ROOT, "specs"), join(dir, "specs"), { recursive: true });
  for (const spec of SPECS) {
    const name = spec.replace(/\.yaml$/, "");
    cpSync(join(ROOT, "packages", name), join(dir, "packages", name), {
      recursive: true,
      filter: (source) => !/node_modules|dist|\.turbo/.test(source),
    });
  }
  return dir;
}

const generate = (dir, ...args) => run(process.execPath, [GENERATE, "--root", dir, ...args]);

let scratch;
afterEach(() => scratch && rmSync(scratch, { recursive: true, force: true }));

describe("pnpm generate", () => {
  it("--check passes on the committed output", async () => {
    scratch = scratchCheckout();
    const { stdout } = await generate(scratch, "--check");
    expect(stdout).toContain("every generated file matches");
  });

  it("--check fails, naming the stale files, after a hand edit of a spec", async () => {
    scratch = scratchCheckout();
    const spec = join(scratch, "specs/bytespike.yaml");
    writeFileSync(
      spec,
      readFileSync(spec, "utf8").replace("maximum: 200, default: 50", "maximum: 500, default: 50"),
    );
    const failure = await generate(scratch, "--check").catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain("packages/bytespike/src/operations.ts (stale)");
  });

  it("--check names the type file too when an edit changes the types", async () => {
    scratch = scratchCheckout();
    const spec = join(scratch, "specs/bytespike.yaml");
    writeFileSync(
      spec,
      readFileSync(spec, "utf8").replace("enum: [topup, refund,", "enum: [topup, bonus, refund,"),
    );
    const failure = await generate(scratch, "--check").catch((error) => error);
    expect(failure.stderr).toContain("packages/bytespike/src/schema.ts (stale)");
    expect(failure.stderr).toContain("packages/bytespike/src/operations.ts (stale)");
  });

  it("--check fails after a hand edit of a generated file", async () => {
    scratch = scratchCheckout();
    const file = join(scratch, "packages/bytespike/src/index.ts");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n// edited\n`);
    const failure = await generate(scratch, "--check").catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain("packages/bytespike/src/index.ts (stale)");
  });

  it("turns a new spec file into a package skeleton", async () => {
    scratch = scratchCheckout();
    const acme = readFileSync(join(scratch, "specs/bytespike.yaml"), "utf8")
      .replace("name: bytespike", "name: acme")
      .replace("factory: createByteSpikeClient", "factory: createAcmeClient");
    writeFileSync(join(scratch, "specs/acme.yaml"), acme);
    await generate(scratch);
    const pkg = join(scratch, "packages/acme");
    for (const file of [
      "package.json",
      "README.md",
      "src/schema.ts",
      "src/operations.ts",
      "src/index.ts",
      "test/contract.test.ts",
    ]) {
      expect(existsSync(join(pkg, file)), file).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).name).toBe("@spendkit/acme");
    expect(readFileSync(join(pkg, "src/index.ts"), "utf8")).toContain(
      "export function createAcmeClient(",
    );
    await generate(scratch, "--check");
  });

  it("rejects a spec whose flat input would have two fields of one name", async () => {
    scratch = scratchCheckout();
    const spec = join(scratch, "specs/bytespike.yaml");
    writeFileSync(
      spec,
      readFileSync(spec, "utf8").replace(
        "      parameters:\n        - name: page\n",
        "      parameters:\n        - name: page\n          in: header\n          schema: { type: string }\n        - name: kind\n          in: path\n          required: true\n          schema: { type: string }\n        - name: page\n",
      ),
    );
    const failure = await generate(scratch, "--check").catch((error) => error);
    expect(failure.stderr).toMatch(/field "kind" is both a path and a query field/);
  });
});

describe("every spec is covered by contract tests", () => {
  it.each(SPECS)("%s has a contract suite over all of its operations", (spec) => {
    const name = spec.replace(/\.yaml$/, "");
    const file = join(ROOT, "packages", name, "test/contract.test.ts");
    expect(existsSync(file), `packages/${name}/test/contract.test.ts`).toBe(true);
    // describeContract runs one test per operation of the generated table, failing any without a case.
    expect(readFileSync(file, "utf8")).toMatch(/describeContract\(\{\s*operations,/);
  });
});
