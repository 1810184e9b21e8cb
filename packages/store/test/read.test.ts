import { describe, expect, it } from "vitest";
import { copyBytes, parseCopyText } from "../src/copy-format.js";
import { composeStatement } from "../src/database.js";
import { readEntries, readEntriesById, StoreError, syncAccount } from "../src/index.js";
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
});
