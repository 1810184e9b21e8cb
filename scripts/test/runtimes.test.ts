// The provider packages on every runtime users run them on — Node, Bun, Deno and Cloudflare's
// workerd (through miniflare) — installed from packed tarballs and imported the way a user of
// each runtime would: Node runs the program compiled to JavaScript, Bun and Deno run its
// TypeScript as is from a project with a package.json (so they resolve node_modules), workerd
// runs a bundled Worker module. Each runs one scenario against a loopback fixture server:
// a paginated walk over three pages, an InputError before any request, and an ApiError.
//
// The runtimes are npm packages (devDependencies: bun, deno, miniflare → workerd), so nothing
// is downloaded beyond the npm registry.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { Fixture } from "@spendkit/mock";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScenarioReport } from "./fixtures/runtimes/scenario.js";
import { installPacked } from "./packed.js";

const exec = promisify(execFile);
const require = createRequire(import.meta.url);
const FIXTURE = new URL("./fixtures/runtimes/", import.meta.url).pathname;
const TRANSACTIONS = "GET /api/v1/me/billing/transactions";
const ACCOUNT = "GET /api/v1/me/account";
const ROWS = [905, 904, 903, 902, 901].map((id, i) => ({
  id,
  created_at: `2026-05-2${5 - i}T10:00:00Z`,
  kind: "topup",
  amount_usd: 10,
  balance_after_usd: 100 - i * 10,
  source: { provider: "stripe", receipt_id: `ch_${id}` },
  note: null,
}));

/** A package's bin, from its own package.json, run with this Node. */
function binOf(name: string, bin = name): string {
  const manifest = require.resolve(`${name}/package.json`);
  const { bin: bins } = JSON.parse(readFileSync(manifest, "utf8"));
  return join(dirname(manifest), typeof bins === "string" ? bins : bins[bin]);
}

let work: string;
let project: string;
let fixture: Fixture;

beforeAll(async () => {
  const mock = await import("@spendkit/mock").catch((error) => {
    throw new Error(`@spendkit/mock is not built (run \`pnpm build\`): ${error.message}`);
  });
  work = mkdtempSync(join(tmpdir(), "spendkit-runtimes-"));
  project = join(work, "project");
  const [started] = await Promise.all([
    mock.startFixture(),
    installPacked(["core", "bytespike", "wavespeed", "xai"], project),
  ]);
  fixture = started;
  cpSync(FIXTURE, project, { recursive: true });
}, 240_000);

afterAll(async () => {
  await fixture?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Fresh routes and counters for each runtime: ByteSpike's newest-first pages, a 403 account. */
function serve() {
  fixture.reset();
  fixture.route(TRANSACTIONS, (request) => {
    const page = Number(request.query.get("page") ?? 1);
    const size = Number(request.query.get("page_size") ?? 50);
    return {
      json: {
        items: ROWS.slice((page - 1) * size, page * size),
        total: ROWS.length,
        page,
        page_size: size,
      },
    };
  });
  fixture.route(ACCOUNT, {
    status: 403,
    headers: { "x-request-id": "req-runtimes-1" },
    json: { error: { type: "permission_error", message: "This key cannot read billing" } },
  });
}

function expectScenario(report: ScenarioReport) {
  expect(report.ids).toEqual([905, 904, 903, 902, 901]);
  expect(report.inputError).toEqual({ field: "page_size", rule: "maximum" });
  expect(report.apiError).toEqual({
    name: "AuthenticationError",
    status: 403,
    type: "permission_error",
    message: expect.stringContaining("This key cannot read billing"),
    requestId: "req-runtimes-1",
  });
  // Three pages of two rows; the rejected input was never sent; the 403 was not retried.
  expect(fixture.count(TRANSACTIONS)).toBe(3);
  expect(fixture.count(ACCOUNT)).toBe(1);
  expect(fixture.count()).toBe(4);
}

/** Runs `command args...` in the project and parses the report it prints. */
async function runIn(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const { stdout } = await exec(command, args, { cwd: project, env }).catch((error) => {
    throw new Error(`${command} ${args.join(" ")} failed:\n${error.stdout}${error.stderr}`);
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ScenarioReport & { resolved: string };
}

const installed = (resolved: string) => {
  expect(resolved).toContain(`${project}/node_modules/@spendkit/bytespike/`);
};

describe("the packed provider packages", () => {
  it("run on Node, compiled to JavaScript", async () => {
    serve();
    await build({
      entryPoints: [join(project, "run.ts")],
      outfile: join(project, "run.mjs"),
      bundle: true,
      packages: "external", // the installed packages stay imports, resolved by Node
      platform: "node",
      format: "esm",
      logLevel: "silent",
    });
    const report = await runIn(process.execPath, ["run.mjs", fixture.url]);
    expectScenario(report);
    installed(report.resolved);
  });

  it("run on Bun, TypeScript as is", async () => {
    serve();
    const report = await runIn(binOf("bun"), ["run.ts", fixture.url]);
    expectScenario(report);
    installed(report.resolved);
  });

  it("run on Deno, TypeScript as is, with network access to the loopback server only", async () => {
    serve();
    const host = new URL(fixture.url).host;
    const report = await runIn(
      process.execPath,
      [
        binOf("deno", "deno"),
        "run",
        `--allow-net=${host}`,
        "--allow-read",
        "--no-prompt",
        "run.ts",
        fixture.url,
      ],
      // Deno's own cache in the test's folder, not in the user's home.
      { ...process.env, DENO_DIR: join(work, "deno-dir"), DENO_NO_UPDATE_CHECK: "1" },
    );
    expectScenario(report);
    installed(report.resolved);
  });

  it("run on workerd (miniflare), bundled into a Worker module", async () => {
    serve();
    const bundled = await build({
      entryPoints: [join(project, "worker.ts")],
      absWorkingDir: project,
      bundle: true,
      write: false,
      platform: "neutral",
      format: "esm",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      logLevel: "silent",
    });
    const script = bundled.outputFiles[0]!.text;
    expect(script).not.toMatch(/from\s*["'](node:|@spendkit\/)/);
    const worker = new Miniflare({
      modules: true,
      script,
      compatibilityDate: "2026-07-01",
      bindings: { BASE_URL: fixture.url },
    });
    try {
      const response = await worker.dispatchFetch("http://worker.test/");
      const text = await response.text();
      expect(response.status, text).toBe(200);
      expectScenario(JSON.parse(text));
    } finally {
      await worker.dispose();
    }
  });
});
