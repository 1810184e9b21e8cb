import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../src/index.js";
import { DATA_DIR_TEMPLATE, makeDataDir } from "../src/pglite-datadir.js";

const START = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

/** PGlite, with each create's options recorded: whether a data directory came from the template. */
function recording() {
  const calls: { fromTemplate: boolean }[] = [];
  const pglite = {
    create: (options: PGliteOptions) => {
      calls.push({ fromTemplate: options.loadDataDir !== undefined });
      return PGlite.create(options);
    },
  } as unknown as typeof PGlite;
  return { pglite, calls };
}

async function databasesIn(location: string): Promise<number> {
  const db = await PGlite.create({ dataDir: join(location, "pgdata"), startParams: START });
  try {
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_database");
    return rows[0]!.n;
  } finally {
    await db.close();
  }
}

describe("a new embedded store's data directory", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "spendkit-datadir-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is made from the template the build wrote, and renamed into place", async () => {
    // The build writes it; without it every new store would pay initdb's memory again.
    expect(existsSync(DATA_DIR_TEMPLATE)).toBe(true);
    const { pglite, calls } = recording();
    await makeDataDir(pglite, dir, START);
    expect(calls).toEqual([{ fromTemplate: true }]);
    expect(readdirSync(dir)).toEqual(["pgdata"]);
    expect(await databasesIn(dir)).toBeGreaterThan(0);
  });

  it("is made by initdb when the template does not load, or is missing", async () => {
    const damaged = join(dir, "damaged.tar.gz");
    writeFileSync(damaged, "not a tar archive");
    const first = recording();
    const store = join(dir, "a");
    mkdirSync(store);
    await makeDataDir(first.pglite, store, START, damaged);
    expect(first.calls).toEqual([{ fromTemplate: true }, { fromTemplate: false }]);
    expect(readdirSync(store)).toEqual(["pgdata"]);
    expect(await databasesIn(store)).toBeGreaterThan(0);

    const second = recording();
    const other = join(dir, "b");
    mkdirSync(other);
    await makeDataDir(second.pglite, other, START, join(dir, "absent.tar.gz"));
    expect(second.calls).toEqual([{ fromTemplate: false }]);
    expect(await databasesIn(other)).toBeGreaterThan(0);
  });

  it("replaces what a process killed while making one left, and opens as a store", async () => {
    const location = join(dir, "store");
    const left = join(location, "pgdata.making-4242");
    mkdirSync(left, { recursive: true });
    writeFileSync(join(left, "PG_VERSION"), "half made");
    const store = await openStore({ engine: "pglite", path: location });
    try {
      const [row] = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM entries");
      expect(row).toEqual({ n: 0 });
      expect(readdirSync(location).sort()).toEqual(["pgdata", "spendkit.lock"]);
    } finally {
      await store.close();
    }
  });
});
