import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  accountStatus,
  EntryRefusedError,
  listAuditEvents,
  MAX_ID_BYTES,
  readEntries,
  syncAccount,
} from "../src/index.js";
import { storableJson } from "../src/storable-text.js";
import { ENGINES, entry, listSource, useDatabase } from "./engines.js";

const ACCOUNT = { provider: "bytespike", account: "main" };
const at = (n: number) => new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000);
const NUL = "\u0000";
const LONE_SURROGATE = "\ud800";
const REPLACED = "\ufffd";

/**
 * Rows a provider may send that PostgreSQL text and jsonb cannot hold as they are: U+0000 in
 * any text field or anywhere in the record, and a lone surrogate in the record. Short fields
 * and one past the COPY writer's character loop (a long description) alike.
 */
function hostileRows() {
  const long = `${"x".repeat(100)}${NUL}${"é".repeat(40)}`;
  return [
    entry(1, {
      id: `a${NUL}1`,
      description: `cafe${NUL}`,
      model: `m${NUL}`,
      reference: `r${NUL}`,
      project: `p${NUL}`,
      apiKey: `k${NUL}`,
      raw: { id: `a${NUL}1`, [`key${NUL}`]: `v${NUL}${LONE_SURROGATE}`, path: "c:\\u0000 is text" },
    }),
    entry(2, { description: long, raw: { id: 2, note: long } }),
    entry(3, { raw: { id: 3 } }),
  ];
}

describe("storableJson", () => {
  it.each([
    ["plain", "plain"],
    [`a${NUL}b`, `a${REPLACED}b`],
    // An escaped backslash, then a NUL: the pair is kept, the NUL replaced.
    [`\\${NUL}`, `\\${REPLACED}`],
    // A backslash and "u0000" as text, after one backslash and after two.
    ["\\u0000", "\\u0000"],
    ["\\\\u0000", "\\\\u0000"],
    // Lone surrogates (either half), and the same escapes written as text.
    [`${LONE_SURROGATE}x\udc00`, `${REPLACED}x${REPLACED}`],
    ["\\ud800 \\udc00", "\\ud800 \\udc00"],
    // A pair is one character, kept.
    ["\ud83d\ude00 = 😀", "😀 = 😀"],
  ])("%j reads back as %j", (value, expected) => {
    const json = storableJson(JSON.stringify({ [value]: [value] }));
    expect(JSON.parse(json)).toEqual({ [expected]: [expected] });
  });
});

describe.each(ENGINES)("text a provider sends that the store cannot hold, on %s", (engine) => {
  const db = useDatabase(engine);

  it("stores U+0000 and lone surrogates as U+FFFD, on the first sync's path and on the upsert's, and sees no change on the next sync", async () => {
    let rows = hostileRows();
    const source = listSource(() => rows, 2);
    const first = await syncAccount(db.store, { ...ACCOUNT, source, now: at(100) });
    expect(first).toMatchObject({ read: 3, inserted: 3, revised: 0 });

    const found = [];
    for await (const batch of readEntries(db.store, {})) found.push(...batch);
    expect(found.map((e) => e.id)).toEqual([`a${REPLACED}1`, "2", "3"]);
    expect(found[0]).toMatchObject({
      description: `cafe${REPLACED}`,
      model: `m${REPLACED}`,
      reference: `r${REPLACED}`,
      project: `p${REPLACED}`,
      apiKey: `k${REPLACED}`,
      raw: {
        id: `a${REPLACED}1`,
        [`key${REPLACED}`]: `v${REPLACED}${REPLACED}`,
        // A backslash and "u0000" written as text are not a NUL: kept as they are.
        path: "c:\\u0000 is text",
      },
    });
    const long = `${"x".repeat(100)}${REPLACED}${"é".repeat(40)}`;
    expect(found[1]).toMatchObject({ description: long, raw: { id: 2, note: long } });

    // The same rows again (the overlap re-reads them through the upsert): the same content.
    const again = await syncAccount(db.store, { ...ACCOUNT, source, now: at(200) });
    expect(again).toMatchObject({ inserted: 0, revised: 0, vanished: 0 });

    // A real change to such a row is a revision like any other.
    rows = hostileRows().map((e) => (e.id === "2" ? { ...e, description: `y${NUL}` } : e));
    const changed = await syncAccount(db.store, { ...ACCOUNT, source, now: at(300) });
    expect(changed).toMatchObject({ inserted: 0, revised: 1, vanished: 0 });
    const events = await listAuditEvents(db.store, {});
    expect(events.map((e) => [e.kind, e.entryId])).toEqual([["changed", "2"]]);
  });

  it("records a failure whose message holds U+0000", async () => {
    const failing = async function* () {
      yield [entry(1)];
      throw new Error(`provider said: bad${NUL}row`);
    };
    await expect(
      syncAccount(db.store, { ...ACCOUNT, source: failing, now: at(100) }),
    ).rejects.toThrow("bad");
    const [state] = await db.store.db.query<{ last_error: string }>(
      "SELECT last_error FROM sync_state WHERE provider = $1 AND account = $2",
      [ACCOUNT.provider, ACCOUNT.account],
    );
    expect(state?.last_error).toBe(`Error: provider said: bad${REPLACED}row`);
  });

  it("refuses an id longer than the store can index, before anything of its batch is loaded", async () => {
    // 2,048 bytes exactly, random so that the database cannot compress it below its limit: kept.
    const fits = randomBytes(MAX_ID_BYTES).toString("base64url").slice(0, MAX_ID_BYTES);
    // 1,025 characters, but 2,050 bytes of UTF-8: refused.
    const long = "é".repeat(1_025);
    const rows = [entry(1), entry(2, { id: fits }), entry(3), entry(4, { id: long }), entry(5)];
    const source = listSource(() => rows, 2);
    const failed = await syncAccount(db.store, { ...ACCOUNT, source, now: at(100) }).catch(
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(EntryRefusedError);
    expect((failed as Error).message).toContain(
      `bytespike/main: the entry at ${at(4).toISOString()} has an id of 2,050 bytes`,
    );
    // Nothing of its batch (here all five rows) is stored; the failure is recorded.
    const stored = async () => {
      const found = [];
      for await (const batch of readEntries(db.store, {})) found.push(...batch);
      return found.map((e) => e.id);
    };
    expect(await stored()).toEqual([]);
    const [status] = await accountStatus(db.store);
    expect(status?.lastError).toMatch(/^EntryRefusedError: bytespike\/main: the entry at/);

    // Once the provider answers with a sane id, the next sync stores every row.
    rows[3] = entry(4);
    const next = await syncAccount(db.store, { ...ACCOUNT, source, now: at(200) });
    expect(next).toMatchObject({ inserted: 5 });
    expect(await stored()).toEqual(["1", fits, "3", "4", "5"]);
  });
});
