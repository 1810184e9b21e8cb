// Report data for the tests: the package's example, and the same with hostile strings where a
// provider's server could put them (names, models, descriptions, references, audit text).
import { exampleReportData } from "../src/example.js";
import type { ReportData } from "../src/types.js";

export const HOSTILE = {
  provider: `<b>Evil</b> & "Co" <img src="http://example.invalid/provider.png">`,
  account: `"><svg onload="document.title='pwned'"><img src=http://example.invalid/a.png>`,
  model: `</text></svg><img src="http://example.invalid/model.png" onerror="document.title='pwned'">`,
  description: `</td></tr></table><script>document.title='pwned'</script>`,
  reference: `<link rel="stylesheet" href="http://example.invalid/x.css">`,
  audit: `<iframe src="http://example.invalid/frame"></iframe>&amp; <style>body{display:none}</style>`,
  kind: `<a href="javascript:alert(1)">kind</a>`,
} as const;

export function hostileReportData(): ReportData {
  const data = exampleReportData();
  data.title = `Report </title><script>document.title='pwned'</script>`;
  data.providers.push({ id: "evil", name: HOSTILE.provider });
  data.accounts.push({ id: "evil-1", provider: "evil", name: HOSTILE.account, currency: "USD" });
  data.dailySpend.push({ date: "2026-05-20", account: "evil-1", amount: "1.000001" });
  data.balances.push({
    account: "evil-1",
    points: [
      { time: "2026-05-19T00:00:00.000Z", balance: "10.00" },
      { time: "2026-05-31T00:00:00.000Z", balance: "8.999999" },
    ],
  });
  data.spendByModel.push({ account: "evil-1", model: HOSTILE.model, amount: "1.000001" });
  data.topUps.push({
    account: "evil-1",
    time: "2026-05-19T00:00:00.000Z",
    amount: "10.00",
    reference: HOSTILE.reference,
  });
  data.adjustments.push({
    account: "evil-1",
    time: "2026-05-21T00:00:00.000Z",
    amount: "-0.000001",
    description: HOSTILE.description,
  });
  data.auditEvents.push({
    account: "evil-1",
    time: "2026-05-22T00:00:00.000Z",
    kind: HOSTILE.kind,
    message: HOSTILE.audit,
  });
  data.reconciliation.push({ account: "evil-1", status: "mismatch", note: HOSTILE.description });
  return data;
}

/** Micro-dollars of a decimal string, written out here independently of the package's helper. */
export function micros(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole, fraction = ""] = amount.replace(/^[+-]/, "").split(".");
  const value = BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
  return negative ? -value : value;
}

/** Decimal string of micro-dollars, in the ledger's form (2 to 6 fraction digits). */
export function decimal(value: bigint): string {
  const sign = value < 0n ? "-" : "";
  const magnitude = value < 0n ? -value : value;
  const fraction = (magnitude % 1_000_000n)
    .toString()
    .padStart(6, "0")
    .replace(/0{1,4}$/, "");
  return `${sign}${magnitude / 1_000_000n}.${fraction}`;
}
