// What spendkit reconcile prints for one account, from the store's report: the balances in
// every currency the provider reported, and which currency was checked.
import type { ReconcileReport } from "@spendkit/store";
import { describe, expect, it } from "vitest";
import { describeReport } from "../src/cli/reconcile.js";

const report = (fields: Partial<ReconcileReport>): ReconcileReport => ({
  provider: "bytespike",
  account: "main",
  ran: [],
  skipped: [],
  breaks: [],
  runningBalanceBreaks: 0,
  newAdjustments: 0,
  ...fields,
});

describe("reconcile's lines", () => {
  it("says the balance with its currency and the checks that passed", () => {
    const text = describeReport(
      "bytespike/main",
      [{ currency: "USD", balance: "10186.68" }],
      report({ currency: "USD", ran: ["running_balance", "last_balance"] }),
    );
    expect(text).toBe(
      "bytespike/main: balance 10186.68 USD; checked running_balance, last_balance: ok\n",
    );
  });

  it("says that an account without entries had its balances recorded and nothing checked", () => {
    const text = describeReport(
      "deepseek/main",
      [
        { currency: "CNY", balance: "110.00" },
        { currency: "USD", balance: "5.00" },
      ],
      report({ provider: "deepseek" }),
    );
    expect(text).toBe(
      "deepseek/main: balance 110.00 CNY, 5.00 USD; balances recorded (no entries to check)\n",
    );
  });

  it("names the currency checked when the provider reported others, and a balance it did not report", () => {
    const text = describeReport(
      "wallet/main",
      [{ currency: "CNY", balance: "70.00" }],
      report({
        currency: "USD",
        ran: ["sum"],
        breaks: [{ check: "sum", currency: "USD", expected: "24.00", rows: [] }],
      }),
    );
    expect(text).toBe(
      [
        "wallet/main: balance 70.00 CNY; checked sum in USD: 1 break(s)",
        "  the provider reports no balance in USD (the entries add up to 24.00 USD)",
        "",
      ].join("\n"),
    );
  });

  it("gives both figures of a mismatch in the ledger's currency", () => {
    const text = describeReport(
      "bytespike/main",
      [{ currency: "USD", balance: "96.67" }],
      report({
        currency: "USD",
        ran: ["running_balance", "last_balance"],
        breaks: [
          { check: "last_balance", currency: "USD", expected: "96.68", actual: "96.67", rows: [] },
        ],
      }),
    );
    expect(text).toContain(
      "  the last balance after (96.68 USD) differs from the balance now (96.67 USD)\n",
    );
  });
});
