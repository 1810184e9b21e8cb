// "A provider is one spec and one adapter": in a scratch copy of this checkout, a fourth
// provider is added by writing specs/acme.yaml and packages/ledger/src/adapters/acme.ts and
// nothing else. `pnpm generate` makes its package, lists it in the ledger's registry and
// dependencies; after an install and a build, the CLI knows it in --help, ledger
// --provider, balance and the FOCUS export.
import { execFile } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pnpmCommand } from "../../packages/codegen/src/pnpm.js";
import { git, scratchCopy } from "./scratch.js";

const exec = promisify(execFile);
const FIXTURES = fileURLToPath(new URL("./fixtures/new-provider/", import.meta.url));

let scratch = "";
let server: Server;
let baseUrl = "";

async function run(command: string, args: string[], env: Record<string, string> = {}) {
  return exec(command, args, {
    cwd: scratch,
    maxBuffer: 64 << 20,
    env: { ...process.env, ...env },
  }).catch((error: { stdout: string; stderr: string; code: number }) => {
    throw new Error(
      `${command} ${args.join(" ")} failed (${error.code}):\n${error.stdout}${error.stderr}`,
    );
  });
}
const pnpm = (...args: string[]) => {
  const [command, argv] = pnpmCommand(args);
  return run(command, argv);
};
const cli = (args: string[]) =>
  run(process.execPath, [join(scratch, "packages/spendkit/dist/cli.js"), ...args], {
    ACME_API_KEY: "sk-acme-7d1e0c93b2",
    ACME_BASE_URL: baseUrl,
    WAVESPEED_API_KEY: "",
    BYTESPIKE_API_KEY: "",
    XAI_MANAGEMENT_KEY: "",
  });

/** Acme's API on loopback: 120 wallet rows, served in the page size asked for, and a balance. */
const ROWS = Array.from({ length: 120 }, (_, i) => ({
  id: `w-${i + 1}`,
  at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
  kind: i % 3 === 0 ? "credit" : "spend",
  amount_usd: i % 3 === 0 ? 10 : -0.125,
}));

function startAcme(): Promise<void> {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    response.setHeader("content-type", "application/json");
    if (url.pathname === "/v1/balance") return response.end(JSON.stringify({ balance_usd: 7.375 }));
    const page = Number(url.searchParams.get("page"));
    const size = Number(url.searchParams.get("page_size"));
    const items = ROWS.slice((page - 1) * size, page * size);
    response.end(JSON.stringify({ total: ROWS.length, items }));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  scratch = scratchCopy("new-provider");
  await pnpm("install", "--offline", "--frozen-lockfile");
  // The two files a new provider takes.
  copyFileSync(join(FIXTURES, "acme.yaml"), join(scratch, "specs/acme.yaml"));
  copyFileSync(join(FIXTURES, "acme.ts"), join(scratch, "packages/ledger/src/adapters/acme.ts"));
  await run(process.execPath, [join(scratch, "scripts/generate.mjs")]);
  // A new workspace package: the lockfile must grow (CI makes pnpm default to frozen). Growing it
  // resolves versions, which needs the registry's metadata: a fresh machine has none cached (the
  // frozen install above reads the lockfile alone), so the registry is asked where the cache
  // cannot answer.
  await pnpm("install", "--prefer-offline", "--no-frozen-lockfile");
  await pnpm("exec", "turbo", "run", "build", "--filter=spendkit...", "--output-logs=errors-only");
  await startAcme();
}, 600_000);

afterAll(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe("a fourth provider: one spec and one adapter", () => {
  it("needs no other hand edit: generate wrote its package, the registry and the dependency", () => {
    const changed = git(scratch, "status", "--porcelain", "--untracked-files=all")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.slice(3));
    const handWritten = changed.filter(
      (file) =>
        !file.startsWith("packages/acme/") &&
        file !== "packages/ledger/src/adapters/index.ts" &&
        file !== "packages/ledger/package.json" &&
        file !== "pnpm-lock.yaml",
    );
    expect(handWritten.sort()).toEqual(["packages/ledger/src/adapters/acme.ts", "specs/acme.yaml"]);
    expect(changed).toContain("packages/acme/src/operations.ts");
    expect(changed).toContain("packages/ledger/src/adapters/index.ts");
  });

  it("shows in spendkit --help and in ledger's --provider list", async () => {
    const help = await cli(["--help"]);
    expect(help.stdout).toContain("Acme Cloud");
    expect(help.stdout).toContain("ACME_API_KEY");
    const ledgerHelp = await cli(["ledger", "--help"]);
    expect(ledgerHelp.stdout).toMatch(/only these providers \(acme, anthropic, bytespike/);
  });

  it("ledger --provider acme reads every page; balance reads its balance", async () => {
    const ledger = await cli(["ledger", "--provider", "acme", "--format", "csv"]);
    const rows = ledger.stdout.trim().split("\r\n").slice(1);
    expect(rows).toHaveLength(ROWS.length); // three pages of 50, 50 and 20
    expect(rows.slice(0, 3).map((row) => row.split(",").slice(0, 5).join(","))).toEqual([
      "acme,w-1,2026-01-01T00:00:00.000Z,topup,10.00",
      "acme,w-2,2026-01-01T01:00:00.000Z,usage,-0.125",
      "acme,w-3,2026-01-01T02:00:00.000Z,usage,-0.125",
    ]);
    const balance = await cli(["balance", "--provider", "acme"]);
    expect(balance.stdout).toMatch(/acme\s+acme\s+USD\s+7\.375/);
  });

  it("the FOCUS export names it from its adapter", async () => {
    const focus = await cli(["ledger", "--provider", "acme", "--format", "focus"]);
    const [header, ...lines] = focus.stdout.trim().split("\r\n");
    const column = (name: string) => header!.split(",").indexOf(name);
    const cells = lines.map((line) => line.split(","));
    expect(cells).toHaveLength(ROWS.length);
    for (const row of cells) {
      expect(row[column("ProviderName")]).toBe("Acme Cloud");
      expect(row[column("ServiceName")]).toBe("Acme Inference");
    }
  });
});
