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
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const GENERATE = join(ROOT, "scripts/generate.mjs");
const SPECS = readdirSync(join(ROOT, "specs")).filter((f) => f.endsWith(".yaml"));
const PROVIDERS = SPECS.map((spec) => spec.replace(/\.yaml$/, ""));

/**
 * A scratch checkout holding the specs, each package's generated and scaffolded files, and
 * @spendkit/core's source (the error classes and money units the generator reads from it).
 */
function scratchCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), "spendkit-generate-"));
  cpSync(join(ROOT, "specs"), join(dir, "specs"), { recursive: true });
  for (const name of [...PROVIDERS, "core"]) {
    cpSync(join(ROOT, "packages", name), join(dir, "packages", name), {
      recursive: true,
      filter: (source) => !/node_modules|dist|\.turbo/.test(source),
    });
  }
  return dir;
}

interface Failure {
  code: number;
  stdout: string;
  stderr: string;
}
const generate = (dir: string, ...args: string[]) =>
  run(process.execPath, [GENERATE, "--root", dir, ...args]);
const generateFailure = (dir: string, ...args: string[]) =>
  generate(dir, ...args).then(
    () => {
      throw new Error("generate succeeded");
    },
    (error: Failure) => error,
  );
const edit = (file: string, change: (text: string) => string) =>
  writeFileSync(file, change(readFileSync(file, "utf8")));

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

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
    const failure = await generateFailure(scratch, "--check");
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
    const failure = await generateFailure(scratch, "--check");
    expect(failure.stderr).toContain("packages/bytespike/src/schema.ts (stale)");
    expect(failure.stderr).toContain("packages/bytespike/src/operations.ts (stale)");
  });

  it("--check fails after a hand edit of a generated file", async () => {
    scratch = scratchCheckout();
    const file = join(scratch, "packages/bytespike/src/index.ts");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n// edited\n`);
    const failure = await generateFailure(scratch, "--check");
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain("packages/bytespike/src/index.ts (stale)");
  });

  it("turns a new spec file into a package skeleton", async () => {
    scratch = scratchCheckout();
    const dir = scratch;
    const acme = readFileSync(join(dir, "specs/bytespike.yaml"), "utf8")
      .replace("name: bytespike", "name: acme")
      .replace("factory: createByteSpikeClient", "factory: createAcmeClient");
    writeFileSync(join(dir, "specs/acme.yaml"), acme);
    await generate(dir);
    const pkg = join(dir, "packages/acme");
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
    await generate(dir, "--check");
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
    const failure = await generateFailure(scratch, "--check");
    expect(failure.stderr).toMatch(/field "kind" is both a path and a query field/);
  });

  it("re-exports from every provider package an error class added to @spendkit/core", async () => {
    const dir = scratchCheckout();
    scratch = dir;
    edit(
      join(dir, "packages/core/src/errors.ts"),
      (text) => `${text}
/** A class core does not have: one added by a later change. */
export class ExampleAddedError extends ApiError {
  static override readonly kind: string = "ExampleAddedError";
  override name = "ExampleAddedError";
}
`,
    );
    edit(join(dir, "packages/core/src/index.ts"), (text) =>
      text.replace("  ConnectionError,", "  ConnectionError,\n  ExampleAddedError,"),
    );
    const stale = await generateFailure(dir, "--check");
    for (const name of PROVIDERS) {
      expect(stale.stderr).toContain(`packages/${name}/src/index.ts (stale)`);
    }
    await generate(dir);
    for (const name of PROVIDERS) {
      const index = readFileSync(join(dir, "packages", name, "src/index.ts"), "utf8");
      expect(index).toMatch(
        /export \{[^}]*\n {2}ExampleAddedError,\n[^}]*\} from "@spendkit\/core";/,
      );
    }
  });

  it("fails, naming the spec and the place, on a money unit core does not know", async () => {
    const dir = scratchCheckout();
    scratch = dir;
    edit(join(dir, "specs/bytespike.yaml"), (text) =>
      text.replace(
        "total_usd: { type: number, x-spendkit-money: usd }",
        "total_usd: { type: number, x-spendkit-money: dollars }",
      ),
    );
    const failure = await generateFailure(dir, "--check");
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(
      /generate: bytespike\.yaml: unknown x-spendkit-money unit \(known: usd, usd-cents, usd-cents-object, usd-cent-millionths, decimal, cents-decimal;/,
    );
    expect(failure.stderr).toMatch(/\/total_usd: "dollars"/);
  });
});

describe("every spec is covered by contract tests", () => {
  it.each(PROVIDERS)("%s has a contract suite over all of its operations", (name) => {
    const file = join(ROOT, "packages", name, "test/contract.test.ts");
    expect(existsSync(file), `packages/${name}/test/contract.test.ts`).toBe(true);
    // describeContract runs one test per operation of the generated table, failing any without a case.
    expect(readFileSync(file, "utf8")).toMatch(/describeContract\(\{\s*operations,/);
  });
});
