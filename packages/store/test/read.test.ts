import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyBytes, parseCopyText } from "../src/copy-format.js";
import { composeStatement } from "../src/database.js";
import {
  openStore,
  readEntries,
  readEntriesById,
  type Store,
  StoreError,
  type StoreLocation,
  syncAccount,
} from "../src/index.js";
import { isoFromPrinted } from "../src/time-text.js";
import { ENGINES, entry, listSource, useDatabase } from "./engines.js";

/**
 * Text a provider may send in any field: every character COPY escapes, the escapes themselves
 * as plain text, SQL's quote and `format`'s percent, control characters it does not escape, and
 * characters outside the Basic Multilingual Plane.
 */
const HOSTILE = [
  "tab\there",
  "line\nbreak\r\nand back",
  "back\\slash \\N \\\\N \\t",
  "\\N",
  "\b\f\v and \u001f\u001d\u001e",
  "it's 100% ' %1$L %% %s",
  "naïve — 中文 — 🧾💸",
  "",
  " ",
];

describe("COPY text, both ways", () => {
  it("reads back exactly what it writes, nulls and empty text apart", () => {
    const rows = [HOSTILE, HOSTILE.map((_, i) => (i % 2 ? null : `${i}`)), [...HOSTILE].reverse()];
    expect(parseCopyText(copyBytes(rows).toString("utf8"), HOSTILE.length)).toEqual(rows);
  });

  it("writes long values and text of several bytes a character as exactly", () => {
    // Past the short-value loop, and far past the buffer's first guess (characters of 3 and 4
    // bytes), so that the writer must grow it in the middle of a row.
    const long = HOSTILE.map((text) => text.repeat(40));
    const wide = HOSTILE.map((_, i) => "中🧾\\\t".repeat(100 * (i + 1)));
    const rows = [long, wide, HOSTILE];
    const bytes = copyBytes(rows);
    expect(parseCopyText(bytes.toString("utf8"), HOSTILE.length)).toEqual(rows);
    expect(copyBytes([["a\tb", null, ""]]).toString("utf8")).toBe("a\\tb\t\\N\t\n");
  });

  it("refuses a row of another width and an escape COPY does not write", () => {
    expect(() => parseCopyText("a\tb\n", 3)).toThrow(StoreError);
    expect(() => parseCopyText("a\tb\tc\nd\n", 3)).toThrow(/1 fields where 3/);
    expect(() => parseCopyText("a\\q\n", 1)).toThrow(/unknown escape/);
    expect(parseCopyText("", 2)).toEqual([]);
  });
});

describe.each(ENGINES)("reading the stored ledger on %s", (engine) => {
  const db = useDatabase(engine);
  const ACCOUNT = { provider: "bytespike", account: "it's 100% \\ main" };
  const now = new Date("2026-02-01T00:00:00Z");

  it("writes every value into a statement as the database's own literal", async () => {
    const statement = await composeStatement(
      db.store.db,
      "SELECT %1$L::text AS a, %2$L::text[] AS b, %3$L::int AS c, %4$L::text AS d, '%%' AS e",
      [HOSTILE.join(""), HOSTILE, 5, null],
    );
    const [row] = await db.store.db.query(statement);
    expect(row).toEqual({ a: HOSTILE.join(""), b: HOSTILE, c: 5, d: null, e: "%" });
  });

  it("returns hostile text exactly, through every keyset and filter", async () => {
    const rows = HOSTILE.map((text, n) =>
      entry(n, {
        id: `${text}#${n}`,
        description: text,
        model: text,
        reference: text,
        project: text,
        apiKey: text,
        raw: { text },
      }),
    );
    await syncAccount(db.store, { ...ACCOUNT, source: listSource(() => rows), now });
    const read = async (options: Parameters<typeof readEntries>[1]) => {
      const found = [];
      for await (const batch of readEntries(db.store, options)) found.push(...batch);
      return found;
    };
    // One row per batch: each keyset starts after a hostile id.
    const found = await read({ batchSize: 1, accounts: [ACCOUNT.account] });
    expect(found).toEqual(rows.map((row) => ({ ...row, account: ACCOUNT.account })));
    expect(await read({ accounts: ["main"] })).toEqual([]);
    const lean = await read({ raw: false, providers: ["bytespike"] });
    expect(lean).toEqual(found.map((e) => ({ ...e, raw: null })));
    const ids = [rows[2]!.id, rows[5]!.id];
    expect(
      (await readEntriesById(db.store, ACCOUNT, ids)).map((e) => [e.id, e.description]),
    ).toEqual([
      [rows[2]!.id, HOSTILE[2]],
      [rows[5]!.id, HOSTILE[5]],
    ]);
  });

  /** Times a provider may give, to the microsecond, in the window below. */
  const TIMES = [
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00.5Z",
    "2026-01-01T00:00:00.000500Z",
    "2026-01-01T00:00:00.123456Z",
    "2026-01-01T00:00:00.999999Z",
    "2026-01-31T23:59:59.999Z",
    "2026-01-15T12:00:00+05:45",
    "1970-01-01T00:00:00Z",
    "0999-12-31T23:59:59.001Z",
  ];
  const timed = () => TIMES.map((time, n) => entry(n, { time }));

  const readTimes = async (store: Store) => {
    const times: Record<string, string> = {};
    for await (const batch of readEntries(store, { batchSize: 4 })) {
      for (const e of batch) times[e.id] = e.time;
    }
    return times;
  };

  it("gives every time in the ledger's form, as the store's iso_utc writes it", async () => {
    await syncAccount(db.store, { ...ACCOUNT, source: listSource(timed), now });
    const oracle = await db.store.db.query<{ id: string; time: string }>(
      "SELECT id, iso_utc(time) AS time FROM entries",
    );
    const times = await readTimes(db.store);
    expect(times).toEqual(Object.fromEntries(oracle.map((row) => [row.id, row.time])));
    expect(Object.values(times).sort()).toEqual([
      "0999-12-31T23:59:59.001Z",
      "1970-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00.123Z",
      "2026-01-01T00:00:00.500Z",
      "2026-01-01T00:00:00.999Z",
      "2026-01-15T06:15:00.000Z",
      "2026-01-31T23:59:59.999Z",
    ]);
  });

  const ODD_DEFAULTS = [
    ["TimeZone", "Asia/Kathmandu"],
    ["DateStyle", "SQL, DMY"],
  ] as const;

  it("reads times in UTC whatever zone and date style the database gives its sessions", async () => {
    // A store of its own: its database set to print times elsewhere and otherwise.
    const own: StoreLocation =
      db.location.engine === "postgres"
        ? { engine: "postgres", url: db.location.url.replace(/[^/]+$/, "odd_sessions") }
        : { engine: "pglite", path: join(db.dir, "odd-sessions") };
    if (own.engine === "postgres") await db.store.db.query("CREATE DATABASE odd_sessions");
    try {
      // Made, then given other defaults: a PostgreSQL database's own settings; PGlite's
      // configuration file, which it reads as it starts (it has no per-database settings).
      const setUp = await openStore(own);
      try {
        for (const [name, value] of ODD_DEFAULTS) {
          if (own.engine === "pglite") {
            appendFileSync(join(own.path, "pgdata", "postgresql.conf"), `\n${name} = '${value}'\n`);
            continue;
          }
          const [row] = await setUp.db.query<{ sql: string }>(
            "SELECT format('ALTER DATABASE %I SET %I = %L', current_database(), $1::text, $2::text) AS sql",
            [name, value],
          );
          await setUp.db.query(row!.sql);
        }
      } finally {
        await setUp.close();
      }
      const store = await openStore(own);
      try {
        await syncAccount(store, { ...ACCOUNT, source: listSource(timed), now });
        const times = await readTimes(store);
        expect(times["7"]).toBe("1970-01-01T00:00:00.000Z");
        expect(times["6"]).toBe("2026-01-15T06:15:00.000Z");
        expect(times["4"]).toBe("2026-01-01T00:00:00.999Z");
        // The database's defaults do reach a session that does not set its own.
        const [fresh] = await store.db.query<{ zone: string }>(
          "SELECT reset_val AS zone FROM pg_settings WHERE name = 'TimeZone'",
        );
        expect(fresh?.zone).toBe("Asia/Kathmandu");
      } finally {
        await store.close();
      }
    } finally {
      if (own.engine === "postgres") await db.store.db.query("DROP DATABASE odd_sessions");
    }
  });
});

describe("a stored time as the store's sessions print it", () => {
  it("becomes ISO 8601 UTC with milliseconds, the fraction cut, not rounded", () => {
    expect(isoFromPrinted("2026-12-03 17:23:33+00")).toBe("2026-12-03T17:23:33.000Z");
    expect(isoFromPrinted("2026-12-03 17:23:33.5+00")).toBe("2026-12-03T17:23:33.500Z");
    expect(isoFromPrinted("2026-12-03 17:23:33.999999+00")).toBe("2026-12-03T17:23:33.999Z");
    expect(isoFromPrinted("0001-01-01 00:00:00.0005+00")).toBe("0001-01-01T00:00:00.000Z");
  });

  it("refuses any other text rather than guess at it", () => {
    for (const printed of [
      "2026-12-03 17:23:33+05:45",
      "2026-12-03 17:23:33.1234567+00",
      "0001-01-01 00:00:00+00 BC",
      "10000-01-01 00:00:00+00",
      "03/12/2026 17:23:33 UTC",
      "infinity",
      "",
    ]) {
      expect(() => isoFromPrinted(printed), printed).toThrow(StoreError);
    }
  });
});
