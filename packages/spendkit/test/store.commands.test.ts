// spendkit reconcile, progress under a real pseudo-terminal, and the config file, as
// subprocesses against the fixture server and a real store.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Fixture, startFixture } from "@spendkit/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "./helpers.js";
import {
  ACCOUNT,
  BYTESPIKE_KEY,
  byteSpikeAccount,
  ENGINES,
  type Engine,
  inStore,
  routeByteSpike,
  storeLocation,
  TRANSACTIONS,
  type Transaction,
  transactions,
  transactionsHandler,
} from "./store-fixture.js";

const exec = promisify(execFile);

let fixture: Fixture;
let store: Awaited<ReturnType<typeof storeLocation>>;
const env = () => ({ BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url });
const cli = (args: string[]) => runCli([...args, "--db", store.db], { env: env(), cwd: store.dir });

beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.stop();
});
afterEach(async () => {
  await store?.stop();
  fixture.reset();
});

describe.each(ENGINES)("spendkit reconcile on %s", (engine: Engine) => {
  it("passes when the running balance adds up to getAccount's balance, and reports a break with the rows around it", async () => {
    store = await storeLocation(engine);
    let rows: Transaction[] = transactions(40);
    rows[3] = { ...rows[3]!, kind: "admin_credit", source: { actor: "ops@bytespike.ai" } };
    routeByteSpike(
      fixture,
      transactionsHandler(() => rows),
    );
    fixture.route(ACCOUNT, byteSpikeAccount(rows.at(-1)!.balance_after_usd));
    expect((await cli(["sync"])).code).toBe(0);
    const ok = await cli(["reconcile"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      "bytespike/bytespike: balance 10186.68 USD; checked running_balance, last_balance: ok",
    );
    expect(ok.stdout).toContain("1 new staff adjustment(s)");

    rows = rows.map((row) =>
      row.id === 20
        ? { ...row, balance_after_usd: Math.round(row.balance_after_usd * 100 + 100) / 100 }
        : row,
    );
    expect((await cli(["sync"])).code).toBe(0);
    const broken = await cli(["reconcile"]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      "break at entry 20: balance after should be 10093.34, the provider says 10094.34",
    );
    expect(broken.stdout).toMatch(
      /2026-01-01T00:19:00\.000Z\s+19\s+subscription\s+-0\.37\s+10093\.71/,
    );
    expect(broken.stdout).toMatch(/2026-01-01T00:21:00\.000Z\s+21\s+topup/);
    expect(broken.stderr).toContain("2 breaks found");
    const audit = await cli(["audit"]);
    expect(audit.stdout).toMatch(/adjustment\s+bytespike\/bytespike\s+4\s+open/);
    expect(audit.stdout).toMatch(/balance_break\s+bytespike\/bytespike\s+21\s+open/);
  });
});

describe("spendkit sync progress", () => {
  it("draws one line per account under a pseudo-terminal, with the total ByteSpike states", async () => {
    store = await storeLocation("pglite");
    routeByteSpike(
      fixture,
      transactionsHandler(() => transactions(700)),
    );
    const command = [process.execPath, CLI, "sync", "--db", store.db]
      .map((part) => `'${part}'`)
      .join(" ");
    const { stdout } = await exec("/usr/bin/script", ["-qfec", command, "/dev/null"], {
      env: { PATH: process.env.PATH ?? "", ...env() },
      cwd: store.dir,
    });
    expect(stdout).toMatch(/syncing bytespike\/bytespike: 700 of 700 rows · [\d,]+ rows\/s/);
    expect(stdout).toContain("bytespike/bytespike: 700 new");
    expect(stdout).not.toContain(BYTESPIKE_KEY);
  });

  it("is quiet when stderr is not a terminal", async () => {
    store = await storeLocation("pglite");
    routeByteSpike(
      fixture,
      transactionsHandler(() => transactions(10)),
    );
    const result = await cli(["sync"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });
});

describe("accounts from spendkit.config.json", () => {
  it("syncs each configured account under its name, with its own key variable and base URL", async () => {
    store = await storeLocation("pglite");
    routeByteSpike(
      fixture,
      transactionsHandler(() => transactions(5)),
    );
    writeFileSync(
      join(store.dir, "spendkit.config.json"),
      JSON.stringify({
        accounts: [
          {
            provider: "bytespike",
            name: "team-a",
            apiKeyEnv: "TEAM_A_KEY",
            baseUrl: fixture.url,
            requestsPerMinute: 600,
          },
          { provider: "bytespike", name: "team-b", apiKeyEnv: "TEAM_B_KEY", baseUrl: fixture.url },
        ],
      }),
    );
    const result = await runCli(["sync", "--db", store.db], {
      env: { TEAM_A_KEY: "sk-byts-a-secret", TEAM_B_KEY: "sk-byts-b-secret" },
      cwd: store.dir,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("bytespike/team-a: 5 new");
    expect(result.stdout).toContain("bytespike/team-b: 5 new");
    const keys = fixture
      .requests(TRANSACTIONS)
      .map((r) => r.headers.authorization ?? r.headers["x-api-key"]);
    expect(new Set(keys)).toEqual(new Set(["Bearer sk-byts-a-secret", "Bearer sk-byts-b-secret"]));
  });

  it("limits export, audit and report to the accounts of an explicit --config", async () => {
    store = await storeLocation("pglite");
    let rows = transactions(5);
    routeByteSpike(
      fixture,
      transactionsHandler(() => rows),
    );
    const both = join(store.dir, "both.json");
    const onlyA = join(store.dir, "only-a.json");
    const entry = (name: string) => ({
      provider: "bytespike",
      name,
      apiKeyEnv: "KEY",
      baseUrl: fixture.url,
    });
    writeFileSync(both, JSON.stringify({ accounts: [entry("team-a"), entry("team-b")] }));
    writeFileSync(onlyA, JSON.stringify({ accounts: [entry("team-a")] }));
    const options = { env: { KEY: "sk-byts-shared-secret" }, cwd: store.dir };
    const run = (args: string[]) => runCli([...args, "--db", store.db], options);
    expect((await run(["sync", "--config", both])).code).toBe(0);
    // A note changed at the provider, seen by team-b's sync only: an audit event of team-b's.
    rows = rows.map((row, i) => (i === 2 ? { ...row, note: "edited" } : row));
    expect((await run(["sync", "--config", both, "--account", "team-b"])).code).toBe(0);

    const lines = (text: string) => text.trim().split("\n").filter(Boolean);
    expect(lines((await run(["export", "--format", "jsonl"])).stdout)).toHaveLength(10);
    expect(
      lines((await run(["export", "--format", "jsonl", "--config", onlyA])).stdout),
    ).toHaveLength(5);

    expect((await run(["audit", "--format", "jsonl"])).stdout).toContain('"account":"team-b"');
    expect((await run(["audit", "--config", onlyA])).stdout).toBe("no open audit events\n");

    const report = await run(["report", "--out", "scoped.html", "--config", onlyA]);
    expect(report.code).toBe(0);
    expect(report.stderr).toContain("1 account,");
    // A file that is no config is refused before the store is read, as for sync.
    const bad = await run(["export", "--config", join(store.dir, "missing.json")]);
    expect(bad.code).toBe(2);
  });

  it("goes on with the other accounts when one fails, and keeps its error in the status", async () => {
    store = await storeLocation("pglite");
    routeByteSpike(
      fixture,
      transactionsHandler(() => transactions(5)),
    );
    writeFileSync(
      join(store.dir, "spendkit.config.json"),
      JSON.stringify({
        accounts: [
          // No such route on the fixture: every request is a 404.
          {
            provider: "bytespike",
            name: "broken",
            apiKeyEnv: "KEY",
            baseUrl: `${fixture.url}/nowhere`,
          },
          { provider: "bytespike", name: "fine", apiKeyEnv: "KEY", baseUrl: fixture.url },
        ],
      }),
    );
    const options = { env: { KEY: "sk-byts-shared-secret" }, cwd: store.dir };
    const result = await runCli(["sync", "--db", store.db], options);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("bytespike/fine: 5 new");
    expect(result.stderr).toContain("1 provider failed (bytespike/broken)");
    const status = await runCli(["status", "--db", store.db], options);
    // No entry stored: no currency yet.
    expect(status.stdout).toMatch(/bytespike\/broken\s+-\s+0\s+-\s+never\s+0\s+NotFoundError/);
    expect(status.stdout).toMatch(/bytespike\/fine\s+USD\s+5\s/);
  });

  it("refuses a bad config before any request, naming the field and never echoing a value", async () => {
    store = await storeLocation("pglite");
    const secret = "sk-byts-pasted-by-mistake-9999";
    const config = join(store.dir, "accounts.json");
    writeFileSync(
      config,
      JSON.stringify({ accounts: [{ provider: "bytespike", name: "a", apiKeyEnv: secret }] }),
    );
    const result = await runCli(["sync", "--config", config, "--db", store.db], {
      env: {},
      cwd: store.dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "accounts[0].apiKeyEnv: must be the name of an environment variable",
    );
    expect(result.stderr).not.toContain(secret);
    expect(fixture.count()).toBe(0);
  });
});

describe.each(ENGINES)("spendkit status and the size of a store on %s", (engine: Engine) => {
  it("tells an embedded store past a million rows how to move to PostgreSQL, and no other", async () => {
    store = await storeLocation(engine);
    routeByteSpike(
      fixture,
      transactionsHandler(() => transactions(5)),
    );
    expect((await cli(["sync"])).code).toBe(0);
    const small = await cli(["status"]);
    expect(small.code).toBe(0);
    expect(small.stderr).toBe("");
    // The count status reads, as a year of a busy account would leave it (writing the rows
    // themselves would take the test minutes).
    await inStore(store.location, (opened) =>
      opened.db.query("UPDATE sync_state SET entry_count = 1200000"),
    );
    const large = await cli(["status"]);
    expect(large.code).toBe(0);
    expect(large.stdout).toMatch(/bytespike\/bytespike\s+USD\s+1,200,000\s/);
    if (engine === "pglite") {
      expect(large.stderr).toBe(
        "note: this store holds 1,200,000 rows, past the 1,000,000 its engine is advised for: " +
          "PostgreSQL serves it better. Move it as it is with spendkit copy --to " +
          "postgres://user@host/db, then set SPENDKIT_DB to that URL.\n",
      );
    } else {
      expect(large.stderr).toBe("");
    }
  });
});
