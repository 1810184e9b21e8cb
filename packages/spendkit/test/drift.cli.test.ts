// Drift through the CLI: a server answering with a field the spec does not document and an
// amount of the wrong type is noted on stderr once per (operation, field), never with its value;
// --strict makes the command fail.
import { adversarial, type Fixture, startFixture } from "@spendkit/mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

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
