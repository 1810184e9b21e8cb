import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startPostgres } from "../src/postgres.js";
import { postgresBinaries, serverUser, stageBinaries } from "../src/postgres-binaries.js";

const run = promisify(execFile);

describe("startPostgres", () => {
  it("starts a server on loopback with an empty database, and stop() ends it", async () => {
    const server = await startPostgres();
    const client = new pg.Client({ connectionString: server.url });
    try {
      await client.connect();
      const { rows } = await client.query(
        "SELECT current_database() AS db, host(inet_server_addr()) AS addr",
      );
      expect(rows[0]).toEqual({ db: "spendkit_test", addr: "127.0.0.1" });
    } finally {
      await client.end();
      await server.stop();
    }
    expect(() => process.kill(server.pid, 0)).toThrow();
  }, 60_000);
});

describe("stageBinaries", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  // A checkout under a directory that the server's user may not enter (a 0700 home or mktemp -d)
  // runs its binaries from here instead: every directory of the staged tree is open to others,
  // and the staged initdb runs as the user the server would run as.
  it("mirrors the build into a tree other users can enter and execute", async () => {
    const parent = await mkdtemp(join(tmpdir(), "spendkit-stage-"));
    dirs.push(parent);
    await chmod(parent, 0o755); // as startPostgres does: mkdtemp makes it 0700
    const staged = await stageBinaries(await postgresBinaries(), join(parent, "pg"));
    for (const dir of [join(parent, "pg"), join(parent, "pg", "bin"), join(parent, "pg", "lib")]) {
      expect((await stat(dir)).mode & 0o005).toBe(0o005);
    }
    expect((await stat(staged.postgres)).mode & 0o001).toBe(0o001);
    const owner = await serverUser();
    const { stdout } = await run(staged.initdb, ["--version"], owner ?? {});
    expect(stdout).toMatch(/initdb \(PostgreSQL\) 18\./);
  }, 30_000);

  it("runs the server as an unprivileged user when this process is root", async () => {
    const owner = await serverUser();
    expect(owner === undefined).toBe(process.getuid?.() !== 0);
    if (owner) expect(owner.uid).not.toBe(0);
  });
});
