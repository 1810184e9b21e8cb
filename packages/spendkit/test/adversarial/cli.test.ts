// Classes 1, 4 and 6 through the CLI, as a subprocess: no argument value is ever repeated (a
// key pasted in the wrong place must not land in a terminal log), server text on stderr is
// neutralised, and an --out that cannot be written is bad usage before any request.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adversarial, type Fixture, startFixture } from "@spendkit/mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";

const { CONTROL, KEY, serveTransactions, TRANSACTIONS, transaction } = adversarial;

const PASTED = "sk-live-PASTED0123456789abcdefXYZ";

let fixture: Fixture;
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "spendkit-adversarial-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(async () => {
  fixture = await startFixture();
});
afterEach(async () => {
  await fixture.stop();
});

/** A named pipe in the scratch directory: a place that is not a regular file, safe to name. */
function fifo(): string {
  const path = join(work, `pipe-${process.pid}`);
  if (!existsSync(path)) execFileSync("mkfifo", [path]);
  return path;
}

const env = () => ({ BYTESPIKE_API_KEY: KEY, BYTESPIKE_BASE_URL: fixture.url });

describe("class 1: the CLI never echoes an argument's value", () => {
  it.each([
    [[PASTED]],
    [["ledger", PASTED]],
    [["ledger", `--${PASTED}`]],
    [["ledger", "--since", PASTED]],
    [["ledger", "--until", PASTED]],
    [["ledger", "--provider", PASTED]],
    [["ledger", "--format", PASTED]],
    [["ledger", "--out", "x.csv", "--format", PASTED]],
    [["ledger", `--since=${PASTED}`]],
    [["balance", PASTED]],
    [["usage", "--since", PASTED]],
  ])("spendkit %j: exit 2, the value is nowhere in the output", async (args) => {
    const result = await runCli(args, { env: env(), cwd: work });
    expect(result.code).toBe(2);
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(PASTED.slice(8, 20));
    }
    expect(fixture.count()).toBe(0);
  });
});

describe("class 4: server text on stderr cannot drive the terminal", () => {
  it("an error message and a warning full of escape sequences arrive neutralised", async () => {
    serveTransactions(fixture, [
      transaction(1, { id: "\u001b]0;pwned\u0007\u001b[2J", kind: "\u009b31mnew-kind" }),
    ]);
    const warned = await runCli(["ledger", "--format", "csv"], { env: env(), cwd: work });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain("unknown kind");
    expect(warned.stderr).not.toMatch(CONTROL);

    fixture.route(TRANSACTIONS, {
      status: 400,
      json: { error: { type: "x", message: "\u001b[31mboom\u001b[0m\u009b2J\r\ntrailing" } },
    });
    const failed = await runCli(["ledger"], { env: env(), cwd: work });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("boom");
    expect(failed.stderr).not.toMatch(CONTROL);
  });
});

describe("class 6: --out is checked before any request", () => {
  it.each([
    ["a directory", () => work],
    ["a file in a missing directory", () => join(work, "missing", "out.csv")],
    ["a FIFO (not a regular file)", () => fifo()],
  ])("--out naming %s: exit 2, nothing requested", async (_, out) => {
    serveTransactions(fixture, [transaction(1)]);
    const result = await runCli(["ledger", "--out", out()], { env: env(), cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out: /);
    expect(fixture.count()).toBe(0);
  });
});
