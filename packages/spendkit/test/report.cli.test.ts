// spendkit report as a subprocess: a fixture server's rows synced into a real PGlite store, the
// report written from it, and its figures checked against sums computed here from those rows.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatMicros } from "@spendkit/ledger";
import { type Fixture, startFixture } from "@spendkit/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import {
  ACCOUNT,
  BYTESPIKE_KEY,
  byteSpikeAccount,
  routeByteSpike,
  storeLocation,
  TRANSACTIONS,
  type Transaction,
  transactionsHandler,
} from "./store-fixture.js";

const KINDS = [
  "topup",
  "subscription_renew",
  "subscription_renew",
  "refund",
  "subscription_renew",
  "admin_credit",
  "subscription_renew",
  "admin_debit",
] as const;

/** A fixture transaction with its amount and the balance after it, in micro-dollars. */
interface Row {
  tx: Transaction;
  micros: bigint;
  balance: bigint;
}

/**
 * `count` ByteSpike transactions of every kind, 37 minutes apart from 2026-01-01 (several
 * days), amounts down to the micro-dollar, balances that add up (integers of micro-dollars here:
 * the expected figures never touch a float sum).
 */
function mixedTransactions(count: number): Row[] {
  let balance = 0;
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const micros =
      kind === "topup"
        ? 25_000_000
        : kind === "refund"
          ? 120_001
          : kind === "admin_credit"
            ? 1_000_000
            : kind === "admin_debit"
              ? -333_333
              : -(370_000 + i);
    balance += micros;
    const tx: Transaction = {
      id: i + 1,
      created_at: new Date(Date.parse("2026-01-01T00:00:00Z") + i * 37 * 60_000)
        .toISOString()
        .replace(".000Z", "Z"),
      kind,
      amount_usd: micros / 1e6,
      balance_after_usd: balance / 1e6,
      source: kind === "topup" ? { provider: "stripe", receipt_id: `ch_${i}` } : {},
      note: null,
    };
    return { tx, micros: BigInt(micros), balance: BigInt(balance) };
  });
}

/** The exact totals the report must show, from the fixture's own rows. */
function expectedTotals(rows: readonly Row[]) {
  const sum = (kinds: string[]) =>
    rows.filter((r) => kinds.includes(r.tx.kind)).reduce((total, r) => total + r.micros, 0n);
  return {
    spend: formatMicros(-sum(["subscription_renew", "refund"])),
    topUps: formatMicros(sum(["topup"])),
    adjustments: formatMicros(sum(["admin_credit", "admin_debit"])),
    balance: formatMicros(rows.at(-1)!.balance),
  };
}

/** The cells of the totals table's row of a provider ("*": all), by their data-field. */
function totalsRow(html: string, provider: string): Record<string, string> {
  const row = new RegExp(
    `<tr data-provider="${provider.replace("*", "\\*")}"[^>]*>([\\s\\S]*?)</tr>`,
  ).exec(html.slice(html.indexOf('data-table="totals"')));
  if (!row) throw new Error(`no totals row for ${provider}`);
  return Object.fromEntries(
    [...row[1]!.matchAll(/data-field="(\w+)">([^<]*)</g)].map((m) => [m[1]!, m[2]!]),
  );
}

const tableRows = (html: string, table: string) => {
  const start = html.indexOf("<tbody>", html.indexOf(`data-table="${table}"`));
  const body = html.slice(start, html.indexOf("</tbody>", start));
  return body.match(/<tr>/g)?.length ?? 0;
};

describe("spendkit report", () => {
  let fixture: Fixture;
  let store: Awaited<ReturnType<typeof storeLocation>>;
  const rows = mixedTransactions(400);
  const cli = (args: string[]) =>
    runCli([...args, "--db", store.db], {
      env: { BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url },
      cwd: store.dir,
    });

  beforeAll(async () => {
    fixture = await startFixture();
    routeByteSpike(
      fixture,
      transactionsHandler(() => rows.map((r) => r.tx)),
    );
    // The balance a sync reads and keeps: the one the transactions end with.
    fixture.route(ACCOUNT, byteSpikeAccount(rows.at(-1)!.tx.balance_after_usd));
  });
  afterAll(async () => {
    await fixture.stop();
  });
  afterEach(async () => {
    await store?.stop();
  });

  it("writes one self-contained page whose totals are the store's exact totals", async () => {
    store = await storeLocation("pglite");
    expect((await cli(["sync"])).code).toBe(0);
    const requests = fixture.requests(TRANSACTIONS).length;

    const result = await cli(["report", "--out", "report.html"]);
    expect(result.stderr).toMatch(/^spendkit: wrote the report: 1 account, /);
    expect(result.code).toBe(0);
    // No API call: the report reads the store only.
    expect(fixture.requests(TRANSACTIONS)).toHaveLength(requests);
    const html = readFileSync(join(store.dir, "report.html"), "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:|\/\/)/i);
    expect(html).toContain("<strong>ByteSpike</strong>: bytespike");

    const expected = expectedTotals(rows);
    expect(totalsRow(html, "bytespike")).toEqual(expected);
    expect(totalsRow(html, "*")).toEqual(expected);
    expect(tableRows(html, "topups")).toBe(rows.filter((r) => r.tx.kind === "topup").length);
    expect(tableRows(html, "adjustments")).toBe(
      rows.filter((r) => r.tx.kind.startsWith("admin_")).length,
    );
    // The balance the sync kept agrees with the ledger's at that moment.
    expect(html).toMatch(/<span class="status matched">matched<\/span>/);
    // The atomic write leaves only the page and the store behind.
    expect(readdirSync(store.dir).sort()).toEqual(["report.html", "store"]);
  });

  it("keeps to --since/--until and --provider", async () => {
    store = await storeLocation("pglite");
    expect((await cli(["sync"])).code).toBe(0);
    const since = rows[100]!.tx.created_at;
    const until = rows[250]!.tx.created_at;
    const windowed = await cli(["report", "--out", "w.html", "--since", since, "--until", until]);
    expect(windowed.code).toBe(0);
    const html = readFileSync(join(store.dir, "w.html"), "utf8");
    expect(totalsRow(html, "*")).toEqual(expectedTotals(rows.slice(100, 250)));

    const none = await cli(["report", "--out", "x.html", "--provider", "xai"]);
    expect(none.code).toBe(0);
    const empty = readFileSync(join(store.dir, "x.html"), "utf8");
    expect(empty).not.toContain('data-provider="bytespike"');
    // No account, so no currency to total in: said so, rather than zeros in a guessed currency.
    expect(empty).toContain('<p class="empty" data-table="totals">No accounts.</p>');
  });

  it("is bad usage (exit 2) without --out, with a directory or a bad date, and opens no store", async () => {
    store = await storeLocation("pglite");
    mkdirSync(join(store.dir, "taken"));
    const secret = "2026-01-01-not-a-date-sk-secret";
    for (const [args, message] of [
      [["report"], /--out: required/],
      [["report", "--out", "taken"], /--out: names a directory/],
      [["report", "--out", "r.html", "--since", secret], /--since: not a date/],
      [["report", "--out", "r.html", "--until", secret], /--until: not a date/],
      [["report", "--out", "r.html", "--provider", secret], /--provider: unknown provider/],
    ] as const) {
      const result = await cli([...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain(secret);
      expect(result.stdout).toBe("");
    }
    const help = await cli(["report", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: spendkit report --out FILE.html");
    // No store was created, and no temp file is left.
    expect(existsSync(store.db)).toBe(false);
    expect(readdirSync(store.dir)).toEqual(["taken"]);
  });
});
