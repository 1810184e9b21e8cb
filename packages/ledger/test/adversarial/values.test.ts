// Class 3 of the hostile-data suite: values from a server stay data. A kind named like a
// property of Object.prototype, money that is not money, ids that are not ids, times outside
// 1970–9999: each is a warning and a skipped row, never an object in a cell or a crash.
import { createByteSpikeClient } from "@spendkit/bytespike";
import { adversarial, type Fixture, startFixture } from "@spendkit/mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type LedgerEntry, ledger, PaginationError } from "../../src/index.js";
import { csvFormatter } from "../../src/writers/csv.js";

const { KEY, serveTransactions, transaction } = adversarial;

let fixture: Fixture;
beforeEach(async () => {
  fixture = await startFixture();
});
afterEach(async () => {
  await fixture.stop();
});

async function read(options: Parameters<typeof ledger>[1] = {}) {
  const warnings: string[] = [];
  const failures: unknown[] = [];
  const entries: LedgerEntry[] = [];
  const client = createByteSpikeClient({ apiKey: KEY, baseUrl: fixture.url, maxRetries: 0 });
  for await (const entry of ledger(
    { bytespike: client },
    {
      onWarning: (_provider, message) => warnings.push(message),
      onError: (_provider, error) => failures.push(error),
      ...options,
    },
  )) {
    entries.push(entry);
  }
  return { entries, warnings, failures };
}

describe("class 3: server strings never reach Object.prototype", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])(
    "kind %j is an unknown kind: a warning and a skipped row",
    async (kind) => {
      serveTransactions(fixture, [transaction(1), transaction(2, { kind }), transaction(3)]);
      const { entries, warnings } = await read();
      expect(entries.map((e) => e.id)).toEqual(["9001", "9003"]);
      expect(warnings).toEqual([expect.stringContaining("unknown kind")]);
      const csv = entries.map(csvFormatter().row).join("");
      expect(csv).not.toMatch(/function|\[object/);
    },
  );
});

describe("class 3: money is a finite JSON number or a canonical decimal string", () => {
  const bad: unknown[] = [
    "1e5",
    "NaN",
    "Infinity",
    "",
    " 1.00",
    "0x10",
    "1,00",
    {},
    [],
    null,
    true,
  ];
  it.each(bad.map((value) => [JSON.stringify(value), value]))(
    "amount_usd %s: a warning and a skipped row",
    async (_, amount_usd) => {
      serveTransactions(fixture, [transaction(1, { amount_usd }), transaction(2)]);
      const { entries, warnings } = await read();
      expect(entries.map((e) => e.id)).toEqual(["9002"]);
      expect(warnings).toEqual([expect.stringContaining("amount_usd")]);
    },
  );

  it("a decimal string and an exponent-free number are exact; no amount like 1e5.00", async () => {
    serveTransactions(fixture, [
      transaction(1, { amount_usd: "12.50" }),
      transaction(2, { amount_usd: 100000, balance_after_usd: "-3.1" }),
      transaction(3, { amount_usd: 1e-7 }),
    ]);
    const { entries } = await read();
    expect(entries.map((e) => [e.amount, e.balanceAfter])).toEqual([
      ["12.50", "10.00"],
      ["100000.00", "-3.10"],
      ["0.00", "10.00"],
    ]);
    for (const e of entries) expect(e.amount).toMatch(/^-?\d+\.\d{2,6}$/);
  });
});

describe("class 3: ids are strings or safe integers", () => {
  it.each([
    ["an object", { a: 1 }],
    ["a fraction", 1.5],
    ["an unsafe integer", 2 ** 60],
    ["an empty string", ""],
    ["an array", [1]],
  ])("id that is %s: skipped with a warning", async (_, id) => {
    serveTransactions(fixture, [transaction(1, { id }), transaction(2)]);
    const { entries, warnings } = await read();
    expect(entries.map((e) => e.id)).toEqual(["9002"]);
    expect(warnings).toEqual([expect.stringContaining("bad id")]);
  });
});

describe("class 3: times are instants within the years 1970 to 9999", () => {
  it.each([
    "+010000-01-01T00:00:00.000Z",
    "1969-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "not a time",
    "2026-02-30T00:00:00Z",
  ])("created_at %j: skipped", async (created_at) => {
    serveTransactions(fixture, [transaction(1, { created_at }), transaction(2)]);
    const { entries, warnings } = await read();
    expect(entries.map((e) => e.id)).toEqual(["9002"]);
    expect(warnings).toEqual([expect.stringContaining("created_at")]);
  });

  it("window bounds are compared as instants, whatever their zone", async () => {
    serveTransactions(fixture, [
      transaction(0, { created_at: "2026-01-01T00:00:00Z" }),
      transaction(1, { created_at: "2026-01-01T01:30:00+01:00" }),
      transaction(2, { created_at: "2026-01-01T01:00:00Z" }),
    ]);
    const { entries } = await read({
      since: "2026-01-01T01:30:00+01:00",
      until: "2026-01-01T02:00:00+01:00",
    });
    expect(entries.map((e) => [e.id, e.time])).toEqual([["9001", "2026-01-01T00:30:00.000Z"]]);
  });
});

describe("class 3: de-duplication by (provider, id) holds when rows repeat out of order", () => {
  it("rows of earlier pages repeated in shuffled positions are booked once", async () => {
    const rows = Array.from({ length: 500 }, (_, i) => transaction(i));
    serveTransactions(fixture, rows, (page, items) => {
      // Every page also carries three rows of another page, out of order.
      const extra = [rows[(page * 37) % 500], rows[(page * 91) % 500], rows[(page * 13) % 500]];
      return {
        items: [extra[0], ...items.slice(0, 20), extra[1], ...items.slice(20), extra[2]],
        total: 500,
      };
    });
    const { entries } = await read();
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(500);
  });
});

describe("class 2: the ledger's own backwards walk terminates", () => {
  it("a ByteSpike total that lies fails the provider with a PaginationError, few requests", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => transaction(i));
    serveTransactions(fixture, rows, (_page, items) => ({ items, total: 1e15 }));
    const { entries, failures } = await read();
    expect(entries).toEqual([]);
    expect(failures).toEqual([expect.any(PaginationError)]);
    expect(fixture.count()).toBe(1);
  });

  it("a ByteSpike server that ignores the page number fails, it does not loop", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => transaction(i));
    serveTransactions(fixture, rows, () => ({ items: [...rows].reverse(), total: 1_000 }));
    const { failures } = await read();
    expect(failures).toEqual([expect.objectContaining({ reason: "repeated-page" })]);
    expect(fixture.count()).toBeLessThanOrEqual(6);
  });
});
