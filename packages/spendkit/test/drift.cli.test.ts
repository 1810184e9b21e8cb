// Drift through the CLI: a server answering with a field the spec does not document and an
// amount of the wrong type is noted on stderr once per (operation, field), never with its value;
// --strict makes the command fail. The same for spendkit sync, whose rows are stored all the same.
import { adversarial, type Fixture, startFixture } from "@spendkit/mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import {
  ACCOUNT,
  BYTESPIKE_KEY,
  byteSpikeAccount,
  storedIds,
  storeLocation,
  TRANSACTIONS,
  transactions,
  transactionsHandler,
} from "./store-fixture.js";

const { KEY, serveTransactions, transaction } = adversarial;

let fixture: Fixture;
beforeEach(async () => {
  fixture = await startFixture();
});
afterEach(async () => {
  await fixture.stop();
});

const env = () => ({ BYTESPIKE_API_KEY: KEY, BYTESPIKE_BASE_URL: fixture.url });
const rows = () =>
  Array.from({ length: 30 }, (_, i) => transaction(i, { loyalty_points: "secret-value-91" }));

describe("spendkit ledger and drift", () => {
  it("notes each drifted field once, with the spec's expectation and no value", async () => {
    serveTransactions(fixture, rows());
    const result = await runCli(["ledger", "--format", "csv"], { env: env() });
    expect(result.code).toBe(0);
    const notes = result.stderr.split("\n").filter((line) => line.includes("drift:"));
    expect(notes).toEqual([
      "spendkit: drift: bytespike listTransactions (200) /items/*/loyalty_points: unexpected, the spec says no such field",
    ]);
    expect(result.stderr).not.toContain("secret-value-91");
    expect(result.stdout.trim().split("\r\n")).toHaveLength(31);
  });

  it("--strict: the rows are still written, and the command exits 1", async () => {
    serveTransactions(fixture, rows());
    const result = await runCli(["ledger", "--format", "csv", "--strict"], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--strict: 1 drift from the specs");
    expect(result.stdout.trim().split("\r\n")).toHaveLength(31);
  });

  it("--strict with a faithful server: exit 0, nothing noted", async () => {
    serveTransactions(fixture, [transaction(1)]);
    const result = await runCli(["ledger", "--strict"], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain("drift");
  });
});

describe("spendkit sync and drift", () => {
  let store: Awaited<ReturnType<typeof storeLocation>> | undefined;
  afterEach(async () => {
    await store?.stop();
  });

  it("notes each drifted field once over every page, stores the rows, and --strict exits 1", async () => {
    store = await storeLocation("pglite");
    const drifted = transactions(120).map((row) => ({ ...row, loyalty_points: "secret-value-91" }));
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => drifted),
    );
    fixture.route(ACCOUNT, byteSpikeAccount(drifted.at(-1)!.balance_after_usd));
    const env = { BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url };
    const sync = (args: string[]) =>
      runCli(["sync", "--db", store!.db, ...args], { env, cwd: store!.dir });

    const first = await sync([]);
    expect(first.code).toBe(0);
    expect(first.stderr.split("\n").filter((line) => line.includes("drift:"))).toEqual([
      "spendkit: drift: bytespike listTransactions (200) /items/*/loyalty_points: unexpected, the spec says no such field",
    ]);
    expect(first.stderr).not.toContain("secret-value-91");
    expect(await storedIds(store.location)).toHaveLength(120);

    const strict = await sync(["--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("--strict: 1 drift from the specs");
  });

  it("--strict with a faithful server: exit 0, nothing noted", async () => {
    store = await storeLocation("pglite");
    const faithful = transactions(3);
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => faithful),
    );
    fixture.route(ACCOUNT, byteSpikeAccount(faithful.at(-1)!.balance_after_usd));
    const result = await runCli(["sync", "--db", store.db, "--strict"], {
      env: { BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url },
      cwd: store.dir,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain("drift");
    expect(await storedIds(store.location)).toHaveLength(3);
  });
});

describe("spendkit reconcile and drift", () => {
  let store: Awaited<ReturnType<typeof storeLocation>> | undefined;
  afterEach(async () => {
    await store?.stop();
  });

  it("notes a drifted balance answer once, and --strict exits 1", async () => {
    store = await storeLocation("pglite");
    const rows = transactions(3);
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => rows),
    );
    const account = byteSpikeAccount(rows.at(-1)!.balance_after_usd);
    const env = { BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url };
    const run = (args: string[]) => runCli([...args, "--db", store!.db], { env, cwd: store!.dir });
    fixture.route(ACCOUNT, account);
    expect((await run(["sync", "--strict"])).code).toBe(0);

    fixture.route(ACCOUNT, { json: { ...account.json, promo_code: "secret-value-91" } });
    const reconciled = await run(["reconcile"]);
    expect(reconciled.code).toBe(0);
    expect(reconciled.stderr.split("\n").filter((line) => line.includes("drift:"))).toEqual([
      "spendkit: drift: bytespike getAccount (200) /promo_code: unexpected, the spec says no such field",
    ]);
    expect(reconciled.stderr).not.toContain("secret-value-91");
    const strict = await run(["reconcile", "--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("--strict: 1 drift from the specs");
  });
});
