import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockFile, StoreBusyError } from "../src/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "spendkit-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A real process: running until `stop()`, which kills it by PID and waits for its exit. */
function child() {
  const process_ = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
    stdio: "ignore",
  });
  return {
    pid: process_.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        process_.once("exit", () => resolve());
        process.kill(process_.pid!, "SIGKILL");
      }),
  };
}

const ownerFile = (pid: number) =>
  `${JSON.stringify({ pid, host: hostname(), token: `t${pid}` })}\n`;

describe("the embedded store's lock file", () => {
  it("is exclusive, names its owner and is released", async () => {
    const path = join(dir, "spendkit.lock");
    const lock = await LockFile.acquire(path, "the store");
    expect(JSON.parse(readFileSync(path, "utf8")).pid).toBe(process.pid);
    await expect(LockFile.acquire(path, "the store")).rejects.toThrow(
      new StoreBusyError(
        `the store is in use by another spendkit process (pid ${process.pid}); try again when it has finished`,
      ),
    );
    await lock.release();
    const again = await LockFile.acquire(path, "the store");
    expect(again.held()).toBe(true);
    await again.release();
  });

  it("is not taken from a live owner, and is broken when the owner is dead", async () => {
    const path = join(dir, "spendkit.lock");
    const owner = child();
    writeFileSync(path, ownerFile(owner.pid));
    await expect(LockFile.acquire(path, "the store")).rejects.toThrow(`pid ${owner.pid}`);
    await owner.stop();
    const lock = await LockFile.acquire(path, "the store");
    expect(lock.held()).toBe(true);
    await lock.release();
  });

  it("lets exactly one of many concurrent acquirers break a stale lock", async () => {
    const path = join(dir, "spendkit.lock");
    const dead = child();
    await dead.stop();
    writeFileSync(path, ownerFile(dead.pid));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => LockFile.acquire(path, "the store")),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(7);
    await (won[0] as PromiseFulfilledResult<LockFile>).value.release();
  });
});
