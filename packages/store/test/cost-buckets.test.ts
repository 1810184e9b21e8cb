// Entries that are sums over a period (a cost report's daily bucket): attribution is stored
// with them, the bucket still filling is updated in place without an alarm, and a change to a
// bucket that has closed and settled is a revision and an audit event like any other.
import { describe, expect, it } from "vitest";
import {
  listAuditEvents,
  readEntries,
  reportFigures,
  SETTLE_HOURS,
  type StoreEntry,
  syncAccount,
} from "../src/index.js";
import { ENGINES, listSource, useDatabase } from "./engines.js";

const ACCOUNT = { provider: "openai", account: "org" };
const HOUR = 3_600_000;
const NOW = new Date("2026-06-10T15:00:00Z");
const day = (daysAgo: number) => new Date(Date.UTC(2026, 5, 10 - daysAgo)).toISOString();

/** A cost bucket's result as a usage entry: its id is the bucket and its grouping keys. */
function bucket(daysAgo: number, amount: string, extra: Partial<StoreEntry> = {}): StoreEntry {
  return {
    provider: "openai",
    id: `${day(daysAgo)}|proj_a|key_a|gpt-4o, input`,
    time: day(daysAgo),
    kind: "usage",
    amount,
    currency: "USD",
    project: "proj_a",
    apiKey: "key_a",
    model: "gpt-4o",
    raw: {},
    ...extra,
  };
}

async function stored(store: Parameters<typeof readEntries>[0]) {
  const found = [];
  for await (const batch of readEntries(store)) found.push(...batch);
  return found;
}

describe.each(ENGINES)("cost buckets on %s", (engine) => {
  const db = useDatabase(engine);
  const sync = (rows: StoreEntry[], now: Date) =>
    syncAccount(db.store, { ...ACCOUNT, source: listSource(() => rows, 10), now, openHours: 24 });

  it("stores the project and the key id, and reads them back", async () => {
    await sync(
      [bucket(3, "-1.25"), bucket(2, "-0.50", { project: undefined, apiKey: undefined })],
      NOW,
    );
    const found = await stored(db.store);
    expect(found.map((e) => [e.amount, e.project, e.apiKey])).toEqual([
      ["-1.25", "proj_a", "key_a"],
      ["-0.50", undefined, undefined],
    ]);
  });

  it("sums the window's spend per project and per key id for the report", async () => {
    await sync(
      [
        bucket(3, "-1.25"),
        bucket(2, "-0.50", { id: "b2", project: "proj_b", apiKey: undefined }),
        bucket(1, "-2.00", { id: "b1" }),
      ],
      NOW,
    );
    const figures = await reportFigures(db.store, {
      window: { since: new Date(day(2)), until: NOW },
      checks: () => undefined,
    });
    const [account] = figures.accounts;
    expect(account?.spendByProject).toEqual([
      { project: "proj_a", amount: "2.00" },
      { project: "proj_b", amount: "0.50" },
    ]);
    expect(account?.spendByKey).toEqual([{ apiKey: "key_a", amount: "2.00" }]);
  });

  it("updates today's bucket in place as it fills: counted once, no revision, no alarm", async () => {
    await sync([bucket(1, "-4.00"), bucket(0, "-1.00")], NOW);
    const later = new Date(NOW.getTime() + 3 * HOUR);
    const again = await sync([bucket(1, "-4.00"), bucket(0, "-2.75")], later);
    expect(again).toMatchObject({ inserted: 0, revised: 0 });
    const found = await stored(db.store);
    expect(found.map((e) => e.amount)).toEqual(["-4.00", "-2.75"]);
    expect(await listAuditEvents(db.store)).toEqual([]);
    const [days] = await db.store.db.query<{ total: string; entries: string }>(
      "SELECT sum(amount)::text AS total, sum(entries)::text AS entries FROM entry_days",
    );
    expect(days).toEqual({ total: "-6.75", entries: "2" });
  });

  it("still settles for SETTLE_HOURS after the bucket closed; a change after that is an audit event", async () => {
    // A bucket of 4 days ago closed 3 days ago: past its day and the settling window.
    await sync([bucket(4, "-3.00"), bucket(2, "-1.00")], NOW);
    expect(SETTLE_HOURS).toBeLessThan(3 * 24);
    const result = await sync(
      [bucket(4, "-3.10"), bucket(2, "-1.20")],
      new Date(NOW.getTime() + HOUR),
    );
    // The bucket of 2 days ago closed a day ago: still settling, updated in place.
    expect(result.revised).toBe(1);
    const events = await listAuditEvents(db.store);
    expect(events.map((e) => [e.kind, e.entryId])).toEqual([["changed", bucket(4, "").id]]);
    expect((await stored(db.store)).map((e) => e.amount)).toEqual(["-3.10", "-1.20"]);
  });

  it("without openHours (a wallet's transactions), any change is a revision at once", async () => {
    await syncAccount(db.store, {
      ...ACCOUNT,
      source: listSource(() => [bucket(0, "-1.00")], 10),
      now: NOW,
    });
    const result = await syncAccount(db.store, {
      ...ACCOUNT,
      source: listSource(() => [bucket(0, "-2.00")], 10),
      now: new Date(NOW.getTime() + HOUR),
    });
    expect(result.revised).toBe(1);
  });
});
