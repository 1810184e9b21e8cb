// The packages the way users get them: `pnpm pack` every publishable package (every package in
// packages/* that is not private, so new ones are covered without touching this file), install
// the tarballs with plain npm into a fresh project outside the workspace, compile a strict
// TypeScript consumer (moduleResolution node16 as ESM and as CommonJS, and bundler), run it as
// ESM and as CommonJS against a Prism mock, and bundle each provider for the browser.
//
// Needs built packages (dist/): `pnpm test` builds them first (turbo run test dependsOn build).
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { RunningMock } from "@spendkit/mock";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishablePackages } from "../../packages/codegen/src/spec-diff/packages.js";
import { npmInstall, packTarballs } from "./packed.js";

const exec = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURE = new URL("./fixtures/consumer/", import.meta.url).pathname;
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

/** The fields of a package.json this test reads (the same parsed file, seen as npm sees it). */
interface Manifest {
  name: string;
  version: string;
  license?: string;
  repository?: unknown;
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  engines?: { node?: string };
  sideEffects?: boolean;
  files?: string[];
  publishConfig?: Record<string, unknown>;
  exports?: Record<string, unknown>;
  main?: string;
  module?: string;
  types?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
}

interface Package {
  name: string;
  dir: string;
  json: Manifest;
  /** packages/<folder> */
  folder: string;
}

/** What fixtures/consumer/run.{mjs,cjs} print: the consumer's report, and where each package came from. */
interface ConsumerReport {
  total: number;
  rows: { id: number; kind: string; amount_usd: number; balance_after_usd: number }[];
  firstRowsOfAll: number[];
  availableUsd: number;
  sameClassesAsCore: boolean;
  inputError: { coreInstance: boolean; field: string; rule: string } | null;
  authError: { coreApiError: boolean; coreAuthenticationError: boolean; status: number } | null;
  resolved: Record<string, string>;
  packages: Record<string, { exports: number; sameApiError: boolean }>;
}

const PACKAGES: Package[] = [...publishablePackages(ROOT).entries()].map(
  ([name, { dir, json }]) => ({
    name,
    dir,
    json: json as Manifest,
    folder: dir.slice(join(ROOT, "packages/").length),
  }),
);
/** Provider packages: generated from specs/<folder>.yaml; they must run in browsers too. */
const PROVIDERS = PACKAGES.filter((p) => existsSync(join(ROOT, "specs", `${p.folder}.yaml`)));

/** Files a package's exports point at: they exist only after a build. */
function exportedFiles(json: Manifest): string[] {
  const files: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === "string") files.push(node);
    else if (node && typeof node === "object") Object.values(node).forEach(walk);
  };
  walk(json.exports ?? {});
  for (const key of ["main", "module", "types"] as const) {
    const file = json[key];
    if (file) files.push(file);
  }
  return [...new Set(files)].filter((f) => f !== "./package.json");
}

describe("every publishable package", () => {
  it("is found", () => {
    expect(PACKAGES.map((p) => p.name)).toContain("@spendkit/core");
    expect(PROVIDERS.length).toBeGreaterThan(0);
  });

  it.each(PACKAGES.map((p) => [p.name, p] as const))(
    "%s has the metadata npm and users need",
    (_, p) => {
      const { json, folder } = p;
      expect(json.license).toBe("MIT");
      expect(json.repository).toEqual({
        type: "git",
        url: "git+https://github.com/spendkit/spendkit.git",
        directory: `packages/${folder}`,
      });
      expect(json.homepage).toMatch(/^https:\/\//);
      expect(json.bugs?.url).toBe("https://github.com/spendkit/spendkit/issues");
      expect(json.keywords?.length).toBeGreaterThan(0);
      expect(json.engines?.node).toMatch(/^>=\s*20/);
      expect(json.sideEffects).toBe(false);
      expect(json.files).toContain("dist");
      expect(json.publishConfig).toMatchObject({ access: "public", provenance: true });
      expect(json.exports?.["."], "exports['.']").toBeDefined();
      expect(json.scripts?.lint, "the lint script runs publint and attw").toMatch(
        /publint.*&&.*attw --pack/,
      );
      expect(existsSync(join(p.dir, "README.md")), `packages/${folder}/README.md`).toBe(true);
    },
  );

  it.each(PROVIDERS.map((p) => [p.name, p] as const))("%s links its API reference", (_, p) => {
    expect(readFileSync(join(p.dir, "README.md"), "utf8")).toContain(
      `https://spendkit.github.io/spendkit/api/${p.folder}.html`,
    );
  });
});

describe("installed from packed tarballs into a fresh project", () => {
  let work: string | undefined;
  let project: string;
  let prism: RunningMock | undefined;
  const names = PACKAGES.map((p) => p.name);
  const compiled: { node16?: Promise<unknown>; bundler?: Promise<unknown> } = {};
  const tsc = (config: string) =>
    exec(process.execPath, [TSC, "-p", config, "--pretty", "false"], { cwd: project }).catch(
      (error: { stdout: string; stderr: string }) => {
        throw new Error(`tsc -p ${config} failed:\n${error.stdout}${error.stderr}`);
      },
    );

  beforeAll(async () => {
    const missing = PACKAGES.flatMap((p) =>
      exportedFiles(p.json)
        .filter((file) => !existsSync(join(p.dir, file)))
        .map((file) => `packages/${p.folder}/${file.replace(/^\.\//, "")}`),
    );
    if (missing.length) {
      throw new Error(
        `The consumer test needs built packages; missing:\n  ${missing.join("\n  ")}\nRun \`pnpm build\` first (\`pnpm test\` does).`,
      );
    }
    const mock = await import("@spendkit/mock").catch((error: Error) => {
      throw new Error(`@spendkit/mock is not built (run \`pnpm build\`): ${error.message}`);
    });

    work = mkdtempSync(join(tmpdir(), "spendkit-consumer-"));
    expect(work.startsWith(ROOT)).toBe(false);
    const tarballs = join(work, "tarballs");
    project = join(work, "project");
    mkdirSync(tarballs);
    mkdirSync(project);

    const packing = packTarballs(
      PACKAGES.map((p) => p.dir),
      tarballs,
    );
    const [packed, started] = await Promise.allSettled([packing, mock.startPrism("bytespike")]);
    if (started.status === "fulfilled") prism = started.value;
    if (packed.status === "rejected") throw packed.reason;
    if (started.status === "rejected") throw started.reason;
    const files = packed.value;

    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify({ name: "spendkit-consumer", private: true, version: "0.0.0" }, null, 2)}\n`,
    );
    await npmInstall(project, files);

    // One copy of the consumer per module system: the nearest package.json "type" decides how
    // TypeScript resolves (import or require conditions) and emits it.
    const all = [
      ...names.map((name, i) => `import * as m${i} from "${name}";`),
      `export const modules: Record<string, object> = {`,
      ...names.map((name, i) => `  "${name}": m${i},`),
      "};",
      "",
    ].join("\n");
    for (const [folder, type] of [
      ["esm", "module"],
      ["cjs", "commonjs"],
      ["bundler", "module"],
    ] as const) {
      mkdirSync(join(project, folder));
      writeFileSync(join(project, folder, "package.json"), `{ "type": "${type}" }\n`);
      cpSync(join(FIXTURE, "consumer.ts"), join(project, folder, "consumer.ts"));
      writeFileSync(join(project, folder, "all.ts"), all);
    }
    for (const file of ["tsconfig.json", "run.mjs", "run.cjs"]) {
      cpSync(join(FIXTURE, file), join(project, file));
    }
    writeFileSync(
      join(project, "tsconfig.node16.json"),
      JSON.stringify({ extends: "./tsconfig.json", include: ["esm", "cjs"] }),
    );
    writeFileSync(
      join(project, "tsconfig.bundler.json"),
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { module: "Preserve", moduleResolution: "Bundler", noEmit: true },
        include: ["bundler"],
      }),
    );

    // Both compilations start now and run side by side; the tests below await them.
    compiled.node16 = tsc("tsconfig.node16.json");
    compiled.bundler = tsc("tsconfig.bundler.json");
    for (const promise of Object.values(compiled)) promise.catch(() => {});
  }, 240_000);

  afterAll(async () => {
    await prism?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("installed every package from its tarball, with workspace ranges rewritten", () => {
    for (const p of PACKAGES) {
      const installed = JSON.parse(
        readFileSync(join(project, "node_modules", p.name, "package.json"), "utf8"),
      );
      expect(installed.version).toBe(p.json.version);
      for (const range of Object.values(installed.dependencies ?? {})) {
        expect(range).not.toMatch(/^workspace:/);
      }
    }
  });

  it("compiles strictly with moduleResolution node16, as ESM and as CommonJS", async () => {
    await compiled.node16;
    expect(readFileSync(join(project, "esm/consumer.js"), "utf8")).toMatch(
      /from "@spendkit\/bytespike"/,
    );
    expect(readFileSync(join(project, "cjs/consumer.js"), "utf8")).toMatch(
      /require\("@spendkit\/bytespike"\)/,
    );
  });

  it("compiles strictly with moduleResolution bundler", async () => {
    await compiled.bundler;
  });

  const expectations = (report: ConsumerReport, format: "esm" | "cjs") => {
    expect(report.total).toBe(47);
    expect(report.rows).toEqual([
      { id: 901234, kind: "topup", amount_usd: 50, balance_after_usd: 81.4 },
      { id: 901188, kind: "admin_credit", amount_usd: 5, balance_after_usd: 31.4 },
    ]);
    expect(report.firstRowsOfAll).toEqual([901234, 901188]);
    expect(report.availableUsd).toBe(81.4);
    // One class identity: the provider re-exports @spendkit/core's errors, and what it throws is
    // an instance of core's classes.
    expect(report.sameClassesAsCore).toBe(true);
    expect(report.inputError).toEqual({ coreInstance: true, field: "page_size", rule: "maximum" });
    expect(report.authError).toEqual({
      coreApiError: true,
      coreAuthenticationError: true,
      status: 401,
    });
    for (const name of names) {
      const resolved = report.resolved[name];
      expect(resolved, name).toContain(`${project}/node_modules/${name}/`);
      expect(resolved, name).toMatch(format === "esm" ? /\.m?js$/ : /\.c?js$/);
    }
    expect(report.resolved["@spendkit/core"]).toMatch(format === "esm" ? /\.js$/ : /\.cjs$/);
    for (const [name, info] of Object.entries(report.packages)) {
      expect(info.exports, `${name} exports something`).toBeGreaterThan(0);
      expect(info.sameApiError, `${name} re-exports core's ApiError, not a copy`).toBe(true);
    }
  };

  const runConsumer = async (runner: string): Promise<ConsumerReport> => {
    const { stdout } = await exec(process.execPath, [runner, prism!.url, JSON.stringify(names)], {
      cwd: project,
    });
    return JSON.parse(stdout);
  };

  it("runs as ESM against the Prism mock", async () => {
    await compiled.node16;
    expectations(await runConsumer("run.mjs"), "esm");
  });

  it("runs as CommonJS against the Prism mock", async () => {
    await compiled.node16;
    expectations(await runConsumer("run.cjs"), "cjs");
  });

  it.each(PROVIDERS.map((p) => [p.name, p] as const))(
    "%s bundles for the browser: no Node built-ins",
    async (name) => {
      const result = await build({
        stdin: { contents: `export * from "${name}";`, resolveDir: project, loader: "js" },
        bundle: true,
        platform: "browser",
        format: "esm",
        write: false,
        logLevel: "silent",
      });
      expect(result.errors).toEqual([]);
      expect(result.outputFiles[0]!.text.length).toBeGreaterThan(0);
    },
  );

  it("the browser bundle of the consumer runs against the mock", async () => {
    const outfile = join(project, "browser/consumer.mjs");
    await build({
      entryPoints: [join(project, "bundler/consumer.ts")],
      absWorkingDir: project,
      bundle: true,
      platform: "browser",
      format: "esm",
      outfile,
      logLevel: "silent",
    });
    const bundled = readFileSync(outfile, "utf8");
    expect(bundled).not.toMatch(/from\s*["'](node:|@spendkit\/)/);
    const { run }: { run(baseUrl: string): Promise<ConsumerReport> } = await import(
      pathToFileURL(outfile).href
    );
    const report = await run(prism!.url);
    expect(report.rows[0]).toEqual({
      id: 901234,
      kind: "topup",
      amount_usd: 50,
      balance_after_usd: 81.4,
    });
    expect(report.authError?.status).toBe(401);
  });

  it("the browser bundle fails when a Node built-in sneaks in", async () => {
    const failure = await build({
      stdin: {
        contents: `import { createHash } from "node:crypto";\nexport * from "${PROVIDERS[0]!.name}";\nexport { createHash };`,
        resolveDir: project,
        loader: "js",
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    }).catch((error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.errors?.[0]?.text).toMatch(/node:crypto/);
  });
});
