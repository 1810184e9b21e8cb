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

/**
 * A small report in two currencies: OpenAI in USD, and DeepSeek with one account in CNY and in
 * USD (two ledgers of the same name). The figures are chosen so that any sum across the two
 * currencies is a string that appears nowhere else (see MIXED_SUMS).
 */
export function twoCurrencyReportData(): ReportData {
  const team = "openai/team";
  const cny = "deepseek/main/CNY";
  const usd = "deepseek/main/USD";
  return {
    window: { since: "2026-05-01T00:00:00.000Z", until: "2026-05-04T00:00:00.000Z" },
    generatedAt: "2026-05-04T06:00:00.000Z",
    providers: [
      { id: "openai", name: "OpenAI" },
      { id: "deepseek", name: "DeepSeek" },
    ],
    accounts: [
      { id: team, provider: "openai", name: "team", currency: "USD" },
      { id: cny, provider: "deepseek", name: "main", currency: "CNY" },
      { id: usd, provider: "deepseek", name: "main", currency: "USD" },
    ],
    dailySpend: [
      { date: "2026-05-01", account: team, amount: "12.34" },
      { date: "2026-05-02", account: team, amount: "0.56" },
      { date: "2026-05-01", account: cny, amount: "100.07" },
      { date: "2026-05-02", account: cny, amount: "3.001" },
      { date: "2026-05-02", account: usd, amount: "1.10" },
    ],
    balances: [
      {
        account: team,
        points: [
          { time: "2026-05-01T00:00:00.000Z", balance: "50.00" },
          { time: "2026-05-03T00:00:00.000Z", balance: "37.10" },
        ],
      },
      {
        account: cny,
        points: [
          { time: "2026-05-01T00:00:00.000Z", balance: "500.00" },
          { time: "2026-05-03T00:00:00.000Z", balance: "396.929" },
        ],
      },
      {
        account: usd,
        points: [
          { time: "2026-05-01T00:00:00.000Z", balance: "20.00" },
          { time: "2026-05-03T00:00:00.000Z", balance: "18.90" },
        ],
      },
    ],
    spendByModel: [
      { account: team, model: "gpt-4.1", amount: "12.90" },
      { account: cny, model: "deepseek-chat", amount: "103.071" },
      { account: usd, model: "deepseek-chat", amount: "1.10" },
    ],
    topUps: [
      { account: team, time: "2026-05-02T09:00:00.000Z", amount: "25.00" },
      { account: cny, time: "2026-05-02T10:00:00.000Z", amount: "200.00" },
    ],
    adjustments: [{ account: cny, time: "2026-05-02T11:00:00.000Z", amount: "-0.50" }],
    auditEvents: [],
    reconciliation: [],
  };
}

/** The totals of `twoCurrencyReportData`, per currency: all providers, and DeepSeek's own. */
export const CURRENCY_TOTALS = {
  USD: { spend: "14.00", topUps: "25.00", balance: "56.00", deepseekSpend: "1.10" },
  CNY: { spend: "103.071", topUps: "200.00", balance: "396.929", deepseekSpend: "103.071" },
} as const;

/**
 * What `twoCurrencyReportData` would show if it added CNY to USD anywhere: the totals of both
 * together, DeepSeek's two ledgers together, the day both DeepSeek ledgers spent, and the model
 * both ledgers used. None of these strings may appear on the page.
 */
export const MIXED_SUMS = {
  spend: "117.071",
  topUps: "225.00",
  balance: "452.929",
  deepseekSpend: "104.171",
  deepseekDay: "4.101",
  deepseekBalance: "415.829",
} as const;
