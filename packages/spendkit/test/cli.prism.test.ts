// The CLI as a user runs it (`node dist/cli.js ...`), against Prism mocks of every spec.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningMock, startPrism } from "@spendkit/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, providerNames } from "../src/index.js";
import { CLI, csvObjects, runCli } from "./helpers.js";

/** A key per provider, in the variable its adapter reads. */
const KEYS: Record<string, string> = Object.fromEntries(
  providerNames.map((name) => [
    adapters[name].env.apiKey,
    `sk-${name}-prism-secret-${name.length}111`,
  ]),
);
const mocks: Partial<Record<string, RunningMock>> = {};
/** The providers with entries to list; the others (DeepSeek) report balances only. */
const LISTED = providerNames.filter((name) => adapters[name].entries);
/** What the CLI says, on stderr, of each balance-only provider. */
const balanceOnlyNotes = (what: RegExp) =>
  providerNames
    .filter((name) => !adapters[name].entries)
    .map(
      (name) =>
        new RegExp(
          `^spendkit: ${name}: ${adapters[name].displayName} reports balances only: ${what.source}`,
        ),
    );
function expectOnlyBalanceOnlyNotes(stderr: string, what: RegExp) {
  const lines = stderr.trimEnd().split("\n");
  const notes = balanceOnlyNotes(what);
  expect(lines).toHaveLength(notes.length);
  for (const [i, note] of notes.entries()) expect(lines[i]).toMatch(note);
}
let work: string;

function env(without: string[] = []): Record<string, string> {
  const all: Record<string, string> = { ...KEYS };
  for (const name of providerNames) all[adapters[name].env.baseUrl] = mocks[name]!.url;
  for (const name of without) delete all[name];
  return all;
}

function expectNoKeys(...texts: string[]) {
  for (const text of texts) for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
}

beforeAll(async () => {
  expect(existsSync(CLI), "build the package first (pnpm build)").toBe(true);
  work = mkdtempSync(join(tmpdir(), "spendkit-cli-"));
  const started = await Promise.allSettled(providerNames.map((name) => startPrism(name)));
  started.forEach((result, i) => {
    if (result.status === "fulfilled") mocks[providerNames[i]!] = result.value;
  });
  const failed = started.find((result) => result.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
});

afterAll(async () => {
  await Promise.allSettled(Object.values(mocks).map((mock) => mock!.stop()));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("spendkit ledger against Prism", () => {
  it("--format csv: rows from every provider, oldest first, exit 0", async () => {
    const result = await runCli(["ledger", "--format", "csv"], { env: env() });
    expectOnlyBalanceOnlyNotes(result.stderr, /there are no entries to list/);
    expect(result.code).toBe(0);
    const rows = csvObjects(result.stdout);
    expect(new Set(rows.map((row) => row.provider))).toEqual(new Set(LISTED));
    expect(rows).toHaveLength(17);
    const times = rows.map((row) => row.time!);
    expect(times).toEqual([...times].sort());
    expect(rows.find((row) => row.id === "901234")).toMatchObject({
      kind: "topup",
      amount: "50.00",
      balanceAfter: "81.40",
    });
    expect(rows.find((row) => row.id === "d6b45aaa54fb4d12930acc36c9ae639f")).toMatchObject({
      kind: "usage",
      amount: "-0.02",
    });
    expect(
      rows.find((row) => row.id === "invoice-9b2f4c1a-5e6d-4f70-8a91-b2c3d4e5f601"),
    ).toMatchObject({ amount: "-67.50" });
    // the usage row of account billings is not booked again
    expect(rows.some((row) => row.id === "txn_def456")).toBe(false);
    expectNoKeys(result.stdout, result.stderr);
  });

  it("prints the table with totals by default", async () => {
    const result = await runCli(["ledger"], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^TIME \(UTC\)/);
    for (const provider of LISTED)
      expect(result.stdout).toMatch(new RegExp(`\\n\\S+ \\S+\\s+${provider}\\s`));
    // 107.48 of the three wallets, less OpenAI's 14.06, Anthropic's 26.242891 (cents, exactly)
    // and OpenRouter's 0.015 of activity: all in USD, the one currency of these entries.
    expect(result.stdout).toMatch(/all\s+all\s+17\s+67\.162109\s+USD/);
  });

  it("--format jsonl with --provider: only those providers, raw records included", async () => {
    const result = await runCli(["ledger", "--format", "jsonl", "--provider", "xai,bytespike"], {
      env: env(),
    });
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(new Set(lines.map((line) => line.provider))).toEqual(new Set(["xai", "bytespike"]));
    expect(lines).toHaveLength(8);
    expect(lines.find((line) => line.id === "901188").raw.source).toEqual({
      actor: "ops@bytespike.ai",
    });
  });

  it("--format focus --out FILE: writes the file atomically, nothing on stdout", async () => {
    const result = await runCli(["ledger", "--format", "focus", "--out", "out.focus.csv"], {
      env: env(),
      cwd: work,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("wrote 17 entries to out.focus.csv");
    const rows = csvObjects(readFileSync(join(work, "out.focus.csv"), "utf8"));
    expect(rows).toHaveLength(17);
    expect(new Set(rows.map((row) => row.ProviderName))).toEqual(
      new Set(LISTED.map((name) => adapters[name].displayName)),
    );
    expect(new Set(rows.map((row) => row.BillingCurrency))).toEqual(new Set(["USD"]));
    // Attribution from the cost reports: OpenAI's project and key, Anthropic's workspace.
    expect(
      rows.find((row) => row.ProviderName === "OpenAI" && row.SubAccountId === "proj_abc"),
    ).toMatchObject({
      SubAccountType: "Project",
      Tags: '{"spendkit/api-key-id":"key_abc"}',
    });
    expect(
      new Set(
        rows.filter((row) => row.ProviderName === "Anthropic").map((row) => row.SubAccountId),
      ),
    ).toEqual(new Set(["wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "default"]));
    expect(readdirSync(work).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("takes the format from the --out file name when --format is absent", async () => {
    const result = await runCli(["ledger", "--out", "ledger.jsonl", "--provider", "wavespeed"], {
      env: env(),
      cwd: work,
    });
    expect(result.code).toBe(0);
    const lines = readFileSync(join(work, "ledger.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).id)).toEqual([
      "txn_abc123",
      "d6b45aaa54fb4d12930acc36c9ae639f",
    ]);
  });

  it("skips a provider without a key, with a note", async () => {
    const result = await runCli(["ledger", "--format", "csv"], {
      env: env(["XAI_MANAGEMENT_KEY"]),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("skipping xai: XAI_MANAGEMENT_KEY is not set");
    expect(new Set(csvObjects(result.stdout).map((row) => row.provider))).toEqual(
      new Set(LISTED.filter((name) => name !== "xai")),
    );
  });
});

describe("spendkit balance and usage against Prism", () => {
  it("balance: each account's balance per currency and an exact total per currency", async () => {
    const result = await runCli(["balance"], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/bytespike\s+bytespike\s+USD\s+81\.40/);
    expect(result.stdout).toMatch(/wavespeed\s+wavespeed\s+USD\s+84\.5632/);
    expect(result.stdout).toMatch(/xai\s+xai\s+USD\s+20\.00/);
    expect(result.stdout).toMatch(/openrouter\s+openrouter\s+USD\s+74\.75/);
    expect(result.stdout).toMatch(/deepseek\s+deepseek\s+CNY\s+5\.00/);
    expect(result.stdout).toMatch(/deepseek\s+deepseek\s+USD\s+12\.40/);
    // 185.9632 of the three wallets + 74.75 + 12.40; the yuan stay apart.
    expect(result.stdout).toMatch(/total\s+USD\s+273\.1132/);
    expect(result.stdout).toMatch(/total\s+CNY\s+5\.00/);
    expect(result.stdout).not.toContain("278.1132");
    // The cost reports have no balance: said so, not counted, not a failure.
    expect(result.stdout).toMatch(/openai\s+openai\s+\(no balance API\)/);
    expect(result.stdout).toMatch(/anthropic\s+anthropic\s+\(no balance API\)/);
    expectNoKeys(result.stdout, result.stderr);
  });

  it("balance --format json: one object per account and currency, exact decimal strings", async () => {
    const result = await runCli(["balance", "--format", "json", "--provider", "deepseek,xai"], {
      env: env(),
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { provider: "deepseek", account: "deepseek", currency: "CNY", balance: "5.00" },
      { provider: "deepseek", account: "deepseek", currency: "USD", balance: "12.40" },
      { provider: "xai", account: "xai", currency: "USD", balance: "20.00" },
    ]);
    const bad = await runCli(["balance", "--format", "yaml"], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
  });

  it("usage: spend per day and model from every provider; no chart when stdout is not a terminal", async () => {
    const result = await runCli(["usage", "--since", "2026-05-01", "--until", "2026-05-04"], {
      env: env(),
    });
    expectOnlyBalanceOnlyNotes(result.stderr, /no usage to show/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Spend per day and model (USD)");
    expect(result.stdout).toMatch(
      /2025-10-02\s+wavespeed\s+wavespeed-ai\/wan-2\.1\/i2v-480p\s+12\s+2\.40/,
    );
    expect(result.stdout).toMatch(/2026-05-20\s+bytespike\s+doubao-seed-1\.6\s+412\s+1\.2345/);
    expect(result.stdout).toMatch(/2026-05-02\s+xai\s+grok-4-0709 output tokens\s+2\.9865/);
    // Cost reports: spend by model from the costs, tokens and requests from the usage reports.
    expect(result.stdout).toMatch(/2024-11-01\s+openai\s+gpt-4o-2024-08-06\s+5\s+6000\s+12\.56/);
    expect(result.stdout).toMatch(
      /2025-08-01\s+anthropic\s+claude-sonnet-4-20250514\s+3700\s+26\.237891/,
    );
    expect(result.stdout).toContain("Spend per model (USD)");
    expect(result.stdout).not.toContain("█");
  });
});

describe("spendkit demo", () => {
  it("prints balances and a ledger with rows from every provider, and writes both CSV files and the report", async () => {
    const dir = mkdtempSync(join(work, "demo-"));
    const result = await runCli(["demo"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Balances");
    // A CNY and a USD balance side by side, a total per currency, none mixed.
    expect(result.stdout).toMatch(/deepseek\s+deepseek\s+CNY\s+5\.00/);
    expect(result.stdout).toMatch(/deepseek\s+deepseek\s+USD\s+12\.40/);
    expect(result.stdout).toMatch(/total\s+USD\s+273\.1132/);
    expect(result.stdout).toMatch(/total\s+CNY\s+5\.00/);
    expect(result.stdout).not.toContain("278.1132");
    for (const provider of LISTED)
      expect(result.stdout).toMatch(new RegExp(`\\d{2}:\\d{2}:\\d{2}\\s+${provider}\\s`));
    expect(result.stdout).toMatch(/deepseek\/deepseek-demo: no entries to sync/);
    const csv = csvObjects(readFileSync(join(dir, "ledger.csv"), "utf8"));
    expect(new Set(csv.map((row) => row.provider))).toEqual(new Set(LISTED));
    const focus = csvObjects(readFileSync(join(dir, "ledger.focus.csv"), "utf8"));
    expect(focus).toHaveLength(csv.length);
    // The report of the throwaway store: every provider named, self-contained.
    const report = readFileSync(join(dir, "report.html"), "utf8");
    for (const provider of providerNames)
      expect(report).toContain(`<strong>${adapters[provider].displayName}</strong>`);
    expect(report).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:|\/\/)/i);
    // Reconciled against the mocks' balances: ByteSpike's running balance and xAI's sum agree;
    // WaveSpeed's fixed examples do not add up to its balance; the cost reports have no balance,
    // and OpenRouter's and DeepSeek's balances are recorded with no check that applies.
    const reconciliation = report.slice(report.indexOf('data-table="reconciliation"'));
    const status = (provider: string) =>
      new RegExp(`data-account="${provider}/${provider}-demo/USD">[^]*?class="status (\\w+)"`).exec(
        reconciliation,
      )?.[1];
    expect(providerNames.map(status)).toEqual(
      providerNames.map((p) =>
        p === "wavespeed"
          ? "mismatch"
          : adapters[p].reconcile?.runningBalance || adapters[p].reconcile?.balanceIsSumOf
            ? "matched"
            : "unchecked",
      ),
    );
    expect(readdirSync(dir).sort()).toEqual(["ledger.csv", "ledger.focus.csv", "report.html"]);
  });
});

describe("help and version", () => {
  it.each(["ledger", "balance", "usage", "demo"])("spendkit %s --help", async (command) => {
    const result = await runCli([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: spendkit ${command}`);
  });

  it("spendkit --help lists the commands; --version prints the package version", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["ledger", "balance", "usage", "demo"])
      expect(help.stdout).toContain(`  ${command} `);
    const version = await runCli(["--version"]);
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(version.stdout.trim()).toBe(pkg.version);
  });
});
