import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, open, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { StoreBusyError } from "./errors.js";

/** What a lock file holds: who owns it, so that a dead owner's lock can be told apart. */
interface Owner {
  pid: number;
  host: string;
  token: string;
}

/** A breaker older than this was left by a process killed while breaking a stale lock. */
const STALE_BREAKER_MS = 10_000;

/**
 * An exclusive lock on a path, held through a file created with O_EXCL that names its owner (PID,
 * host, a random token). PGlite cannot be opened by two processes at once, so the embedded
 * store takes this lock for as long as it is open.
 *
 * A lock whose owner is a dead process on this host is stale (left by a kill -9 or a crash) and
 * is broken. Breaking is itself serialised by a second O_EXCL file: the breaker re-reads the lock
 * while holding it, so two processes that both saw the same stale lock cannot each remove a
 * fresh lock taken in between.
 */
export class LockFile {
  readonly path: string;
  readonly #token: string;

  private constructor(path: string, token: string) {
    this.path = path;
    this.#token = token;
  }

  /** Takes the lock, or throws StoreBusyError naming the live owner. */
  static async acquire(path: string, what: string): Promise<LockFile> {
    const owner: Owner = {
      pid: process.pid,
      host: hostname(),
      token: randomBytes(8).toString("hex"),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await createExclusive(path, `${JSON.stringify(owner)}\n`)) {
        return new LockFile(path, owner.token);
      }
      const current = await readOwner(path);
      if (current && !isStale(current)) {
        throw new StoreBusyError(
          `${what} is in use by another spendkit process (pid ${current.pid}${current.host === owner.host ? "" : ` on ${current.host}`}); try again when it has finished`,
        );
      }
      await breakStale(path, current);
    }
    throw new StoreBusyError(`${what}: could not take the lock ${path}`);
  }

  /** Releases the lock, if it is still ours. */
  async release(): Promise<void> {
    const current = await readOwner(this.path);
    if (current?.token === this.#token) await rm(this.path, { force: true });
  }

  /** Synchronous check, for tests and diagnostics: is the lock still ours? */
  held(): boolean {
    try {
      return JSON.parse(readFileSync(this.path, "utf8")).token === this.#token;
    } catch {
      return false;
    }
  }
}

/**
 * Creates `path` with `content` or resolves false when it exists. The content is written to a
 * temp file first and hard-linked into place (atomic, fails on EEXIST), so a reader never sees a
 * half-written lock.
 */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** The owner named in a lock file; undefined when it is gone or not a lock of ours. */
async function readOwner(path: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, "utf8")) as Owner;
    return typeof owner.pid === "number" && typeof owner.token === "string" ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isStale(owner: Owner): boolean {
  // Another host's process cannot be checked from here: its lock is taken as live.
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function breakStale(path: string, seen: Owner | undefined): Promise<void> {
  const breaker = `${path}.break`;
  if (!(await createExclusive(breaker, `${process.pid}\n`))) {
    const age = await stat(breaker).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_BREAKER_MS) await rm(breaker, { force: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    return;
  }
  try {
    // Under the breaker, nobody else removes the lock: if it is still the stale one we saw (or
    // still unreadable), it can go.
    const current = await readOwner(path);
    if (current === undefined ? seen === undefined : current.token === seen?.token) {
      if (current === undefined || isStale(current)) await rm(path, { force: true });
    }
  } finally {
    await rm(breaker, { force: true });
  }
}
