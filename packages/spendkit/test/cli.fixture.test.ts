// The CLI as a subprocess against the programmable fixture server of @spendkit/mock: what a
// Prism mock cannot show (many pages, duplicates, one provider failing, an interrupted export).
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Fixture, type FixtureRequest, startFixture } from "@spendkit/mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLI, csvObjects, runCli } from "./helpers.js";

const TEAM = "team-fixture";
const KEYS = {
  WAVESPEED_API_KEY: "sk-ws-fixture-secret-aaaa",
  BYTESPIKE_API_KEY: "sk-byts-fixture-secret-bbbb",
  XAI_MANAGEMENT_KEY: "xai-mgmt-fixture-secret-cccc",
};
const ROUTES = {
  transactions: "GET /api/v1/me/billing/transactions",
  search: "POST /api/v3/billings/search",
  account: "GET /api/v3/account/billings",
  validation: "GET /auth/management-keys/validation",
  prepaid: "GET /v1/billing/teams/:team/prepaid/balance",
  invoices: "GET /v1/billing/teams/:team/invoices",
};

let fixture: Fixture;
let work: string;

const minutes = (n: number) =>
  new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000).toISOString();

/** 450 ByteSpike rows (3 pages of 200), one minute apart, even minutes. */
const TRANSACTIONS = Array.from({ length: 450 }, (_, i) => ({
  id: 5000 + i,
  created_at: minutes(2 * i),
  kind: i % 3 === 0 ? "topup" : "subscription_renew",
  amount_usd: i % 3 === 0 ? 10 : -0.5,
  balance_after_usd: 100,
  source: {},
  note: null,
}));
/** 250 WaveSpeed records (3 pages of 100), odd minutes. */
const BILLINGS = Array.from({ length: 250 }, (_, i) => ({
  uuid: `ws-${String(i).padStart(4, "0")}`,
  billing_type: "deduct",
  price: 0.001,
  created_at: minutes(2 * i + 1),
  updated_at: minutes(2 * i + 1),
  prediction: { uuid: `p-${i}`, model_uuid: "bytedance/seedream-v3", status: "completed" },
}));
const CHANGES = [
  {
    teamId: TEAM,
    changeOrigin: "PURCHASE",
    topupStatus: "SUCCEEDED",
    amount: { val: "-2500" },
    invoiceId: "inv-1",
    createTime: minutes(3),
  },
  { teamId: TEAM, changeOrigin: "SPEND", amount: { val: "1234" }, createTime: minutes(700) },
];

/** Answers like ByteSpike: newest first, `since`/`until` honoured; `duplicate` repeats a row at page edges. */
function transactions(rows: typeof TRANSACTIONS, options: { duplicate?: boolean } = {}) {
  return (request: FixtureRequest) => {
    const page = Number(request.query.get("page") ?? 1);
    const size = Number(request.query.get("page_size") ?? 50);
    const until = request.query.get("until");
    const newestFirst = rows
      .filter((row) => !until || row.created_at < until)
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    let items = newestFirst.slice((page - 1) * size, page * size);
    // A row shifted across a page boundary shows up at the end of one page and the start of the next.
    if (options.duplicate && page > 1) items = [newestFirst[(page - 1) * size - 1]!, ...items];
    return { json: { items, total: newestFirst.length, page, page_size: size } };
  };
}

function search(request: FixtureRequest) {
  const { page, page_size, sort } = request.json();
  const sorted = [...BILLINGS].sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
  if (sort !== "created_at ASC") sorted.reverse();
  return {
    json: {
      code: 200,
      message: "success",
      data: {
        page,
        total: sorted.length,
        items: sorted.slice((page - 1) * page_size, page * page_size),
      },
    },
  };
}

function routeAll(options: { duplicate?: boolean } = {}) {
  fixture.route(ROUTES.transactions, transactions(TRANSACTIONS, options));
  fixture.route(ROUTES.search, search);
  fixture.route(ROUTES.account, {
    json: {
      code: 200,
      message: "success",
      data: { items: [], pagination: { page: 1, page_size: 100, total: 0 } },
    },
  });
  fixture.route(ROUTES.validation, { json: { teamId: TEAM } });
  fixture.route(ROUTES.prepaid, { json: { changes: CHANGES, total: { val: "-1266" } } });
  fixture.route(ROUTES.invoices, { json: { invoices: [] } });
}

const env = (extra: Record<string, string> = {}) => ({
  ...KEYS,
  WAVESPEED_BASE_URL: fixture.url,
  BYTESPIKE_BASE_URL: fixture.url,
  XAI_MANAGEMENT_BASE_URL: fixture.url,
  ...extra,
});

function expectNoKeys(...texts: string[]) {
  for (const text of texts) for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
}

beforeAll(async () => {
  expect(existsSync(CLI), "build the package first (pnpm build)").toBe(true);
  fixture = await startFixture();
  work = mkdtempSync(join(tmpdir(), "spendkit-cli-fixture-"));
});
afterAll(async () => {
  await fixture?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});
beforeEach(() => fixture.reset());
afterEach(() => expect(fixture.errors).toEqual([]));

describe("a full export over many pages", () => {
  it("every row once, oldest first, across providers, with exact totals", async () => {
    routeAll({ duplicate: true });
    // The three wallet providers this fixture serves (the others would be skipped, with a note).
    const only = ["--provider", "bytespike,wavespeed,xai"];
    const result = await runCli(["ledger", "--format", "csv", ...only], { env: env() });
    expect(result.stderr).toBe(""); // no progress line: stderr is not a terminal
    expect(result.code).toBe(0);
    const rows = csvObjects(result.stdout);
    expect(rows).toHaveLength(450 + 250 + 2);
    const times = rows.map((row) => row.time!);
    expect(times).toEqual([...times].sort());
    const ids = rows.map((row) => `${row.provider}:${row.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    // ByteSpike's pages were read last to first, with `until` pinned on every request
    const pages = fixture.requests(ROUTES.transactions).map((r) => r.query.get("page"));
    expect(pages).toEqual(["1", "3", "2"]);
    expect(
      new Set(fixture.requests(ROUTES.transactions).map((r) => r.query.get("until"))).size,
    ).toBe(1);
    // the table's totals, exact
    const table = await runCli(["ledger", ...only], { env: env() });
    expect(table.stdout).toMatch(/bytespike\s+topup\s+150\s+1500\.00/);
    expect(table.stdout).toMatch(/bytespike\s+subscription\s+300\s+-150\.00/);
    expect(table.stdout).toMatch(/wavespeed\s+usage\s+250\s+-0\.25/);
    expect(table.stdout).toMatch(/xai\s+all\s+2\s+12\.66/);
    expect(table.stdout).toMatch(/all\s+all\s+702\s+1362\.41/);
  });
});

describe("one provider failing", () => {
  beforeEach(() => {
    routeAll();
    fixture.route(ROUTES.prepaid, {
      status: 503,
      headers: { "retry-after": "0" },
      json: { code: "Unavailable", error: "xAI is down" },
    });
  });

  it("exits 1, still writes the others' rows, and names the provider in a summary", async () => {
    const result = await runCli(["ledger", "--format", "csv"], { env: env() });
    expect(result.code).toBe(1);
    const rows = csvObjects(result.stdout);
    expect(rows.filter((row) => row.provider === "bytespike")).toHaveLength(450);
    expect(rows.filter((row) => row.provider === "wavespeed")).toHaveLength(250);
    expect(rows.filter((row) => row.provider === "xai")).toHaveLength(0);
    expect(result.stderr).toContain("1 provider failed (xai)");
    expect(result.stderr).toMatch(/xai: ServerError: 503 xAI is down/);
    expect(fixture.count(ROUTES.prepaid)).toBe(3); // the first attempt and two retries
    expectNoKeys(result.stdout, result.stderr);
  });

  it("with --out: the file holds the others' rows", async () => {
    const result = await runCli(["ledger", "--out", "partial.csv"], { env: env(), cwd: work });
    expect(result.code).toBe(1);
    const rows = csvObjects(readFileSync(join(work, "partial.csv"), "utf8"));
    expect(rows).toHaveLength(700);
    expect(result.stderr).toContain("the file has the rows of the others");
  });

  it("balance shows the others and exits 1", async () => {
    fixture.route("GET /api/v1/me/account", { json: { balance: { available_usd: 12.5 } } });
    fixture.route("GET /api/v3/balance", {
      status: 401,
      json: { message: "Invalid API key", error_code: "UNAUTHORIZED" },
    });
    const balance = await runCli(["balance", "--provider", "bytespike,wavespeed"], { env: env() });
    expect(balance.code).toBe(1);
    expect(balance.stdout).toMatch(/bytespike\s+bytespike\s+USD\s+12\.50/);
    expect(balance.stdout).toMatch(/wavespeed\s+wavespeed\s+\(failed\)/);
    expect(balance.stdout).toMatch(/total \(of those shown\)\s+USD\s+12\.50/);
    expect(balance.stderr).toMatch(/wavespeed: AuthenticationError: 401 Invalid API key/);
    expectNoKeys(balance.stdout, balance.stderr);
  });
});

describe("atomic --out", () => {
  it("leaves no file (and the old one untouched) when every provider failed", async () => {
    fixture.route(ROUTES.transactions, {
      status: 401,
      json: { error: { type: "authentication_error", message: "Invalid API key" } },
    });
    const dir = mkdtempSync(join(work, "all-failed-"));
    writeFileSync(join(dir, "ledger.csv"), "old content\r\n");
    const result = await runCli(["ledger", "--provider", "bytespike", "--out", "ledger.csv"], {
      env: env(),
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nothing written to ledger.csv");
    expect(readdirSync(dir)).toEqual(["ledger.csv"]);
    expect(readFileSync(join(dir, "ledger.csv"), "utf8")).toBe("old content\r\n");
  });

  it("leaves no partial file when the export is interrupted half-way", async () => {
    // WaveSpeed's first page arrives and is written; the next pages never answer.
    fixture.route(ROUTES.search, async (request, reply) => {
      if (request.json().page === 1) return search(request);
      await reply.hang();
      return undefined;
    });
    fixture.route(ROUTES.account, {
      json: {
        code: 200,
        message: "success",
        data: { items: [], pagination: { page: 1, page_size: 100, total: 0 } },
      },
    });
    const dir = mkdtempSync(join(work, "interrupted-"));
    let pid = 0;
    const running = runCli(
      ["ledger", "--provider", "wavespeed", "--format", "jsonl", "--out", "ledger.jsonl"],
      {
        env: env(),
        cwd: dir,
        onSpawn: (spawned) => {
          pid = spawned;
        },
      },
    );
    const temp = () => readdirSync(dir).find((name) => name.endsWith(".tmp"));
    // rows are in the temp file, the target does not exist yet
    await fixture.waitFor(() => {
      const name = temp();
      return name !== undefined && statSync(join(dir, name)).size > 0;
    }, 30_000);
    expect(existsSync(join(dir, "ledger.jsonl"))).toBe(false);
    process.kill(pid, "SIGTERM");
    const result = await running;
    expect(result.code).toBe(143);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("bad usage: exit 2 with a clear message, before any request", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ["no command", [], {}, /Usage: spendkit <command>/],
    ["an unknown command", ["frobnicate"], {}, /unknown command; commands: ledger/],
    ["an unknown flag", ["ledger", "--bogus"], {}, /unknown option "--bogus"/],
    ["a positional argument", ["ledger", "extra"], {}, /unexpected argument/],
    ["an unknown format", ["ledger", "--format", "xml"], {}, /--format: unknown format; use table/],
    ["an unknown provider", ["ledger", "--provider", "acme"], {}, /unknown provider; known:/],
    ["a date that does not exist", ["ledger", "--since", "2026-02-30"], {}, /--since: not a date/],
    ["a date without a zone", ["ledger", "--until", "2026-02-01T10:00:00"], {}, /not a date/],
    [
      "since after until",
      ["ledger", "--since", "2026-03-01", "--until", "2026-02-01"],
      {},
      /--since must be before --until/,
    ],
    [
      "a key on the command line",
      ["ledger", "--api-key", "sk-on-argv-9999"],
      {},
      /keys are read from the environment only/,
    ],
    [
      "a requested provider without its key",
      ["ledger", "--provider", "xai"],
      { XAI_MANAGEMENT_KEY: "" },
      /xai was requested but XAI_MANAGEMENT_KEY is not set/,
    ],
    [
      "a bad base URL",
      ["ledger"],
      { BYTESPIKE_BASE_URL: "not a url" },
      /bytespike: BYTESPIKE_BASE_URL: must be an absolute http\(s\) URL/,
    ],
    [
      "an unwritable --out",
      ["ledger", "--out", "/nonexistent-dir/ledger.csv"],
      {},
      /--out: its directory does not exist/,
    ],
    [
      "an option of another command",
      ["balance", "--since", "2026-01-01"],
      {},
      /unknown option "--since"/,
    ],
    ["a bad usage date", ["usage", "--until", "soon"], {}, /--until: not a date/],
  ];

  it.each(cases)("%s", async (_, args, extra, message) => {
    routeAll();
    const result = await runCli(args, { env: env(extra), cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
    expect(fixture.count()).toBe(0);
    expectNoKeys(result.stderr);
    expect(result.stderr).not.toContain("sk-on-argv-9999");
  });

  it("no provider configured at all", async () => {
    const result = await runCli(["ledger"], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no provider is configured");
  });
});
