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

/** The drift lines a command wrote on stderr. */
const driftNotes = (stderr: string) => stderr.split("\n").filter((line) => line.includes("drift:"));

const env = () => ({ BYTESPIKE_API_KEY: KEY, BYTESPIKE_BASE_URL: fixture.url });
const rows = () =>
  Array.from({ length: 30 }, (_, i) => transaction(i, { loyalty_points: "secret-value-91" }));

describe("spendkit ledger and drift", () => {
  it("notes each drifted field once, with the spec's expectation and no value", async () => {
    serveTransactions(fixture, rows());
    const result = await runCli(["ledger", "--format", "csv"], { env: env() });
    expect(result.code).toBe(0);
    expect(driftNotes(result.stderr)).toEqual([
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

describe("spendkit sync, reconcile and drift", () => {
  let store: Awaited<ReturnType<typeof storeLocation>>;
  beforeEach(async () => {
    store = await storeLocation("pglite");
  });
  afterEach(async () => {
    await store.stop();
  });
  const run = (args: string[]) =>
    runCli([...args, "--db", store.db], {
      env: { BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url },
      cwd: store.dir,
    });
  /** ByteSpike's transactions and its account, with `extra` fields in the account's answer. */
  const serveAccount = (rows: ReturnType<typeof transactions>, extra = {}) => {
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => rows),
    );
    const account = byteSpikeAccount(rows.at(-1)!.balance_after_usd);
    fixture.route(ACCOUNT, { json: { ...account.json, ...extra } });
  };

  it("sync notes each drifted field once over every page, stores the rows, and --strict exits 1", async () => {
    serveAccount(transactions(120).map((row) => ({ ...row, loyalty_points: "secret-value-91" })));
    const first = await run(["sync"]);
    expect(first.code).toBe(0);
    expect(driftNotes(first.stderr)).toEqual([
      "spendkit: drift: bytespike listTransactions (200) /items/*/loyalty_points: unexpected, the spec says no such field",
    ]);
    expect(first.stderr).not.toContain("secret-value-91");
    expect(await storedIds(store.location)).toHaveLength(120);

    const strict = await run(["sync", "--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("--strict: 1 drift from the specs");
  });

  it("sync --strict with a faithful server: exit 0, nothing noted", async () => {
    serveAccount(transactions(3));
    const result = await run(["sync", "--strict"]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain("drift");
    expect(await storedIds(store.location)).toHaveLength(3);
  });

  it("reconcile notes a drifted balance answer once, and --strict exits 1", async () => {
    const rows = transactions(3);
    serveAccount(rows);
    expect((await run(["sync", "--strict"])).code).toBe(0);

    serveAccount(rows, { promo_code: "secret-value-91" });
    const reconciled = await run(["reconcile"]);
    expect(reconciled.code).toBe(0);
    expect(driftNotes(reconciled.stderr)).toEqual([
      "spendkit: drift: bytespike getAccount (200) /promo_code: unexpected, the spec says no such field",
    ]);
    expect(reconciled.stderr).not.toContain("secret-value-91");
    const strict = await run(["reconcile", "--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("--strict: 1 drift from the specs");
  });
});
