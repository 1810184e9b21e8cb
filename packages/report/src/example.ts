import { dayOf, dayStart, parseDay } from "./days.js";
import { formatAmount, parseAmount } from "./decimal.js";
import type { BalancePoint, DailySpend, ReportData, TopUp } from "./types.js";

/**
 * A complete `ReportData` for May 2026 — three accounts at three providers in USD, a month of
 * daily spend, balances that follow from it, top-ups, adjustments, open audit events and every
 * reconciliation status, and a DeepSeek account's balances in CNY and in USD — to show what the
 * store hands the renderer, and to try the report:
 *
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { exampleReportData, renderReport } from "@spendkit/report";
 * writeFileSync("report.html", await renderReport(exampleReportData()));
 * ```
 *
 * The figures are made up, but consistent: each balance point is the previous one minus that
 * day's spend plus that day's top-ups and adjustments, computed exactly. DeepSeek reports
 * nothing but a balance per currency, so its two ledgers have weekly snapshots and no spend.
 */
export function exampleReportData(): ReportData {
  const since = "2026-05-01";
  const days = 31;
  const first = parseDay(since);
  const accounts = [
    // opening balance, a day's base spend and its daily swing, in micro-dollars
    {
      id: "ws-prod",
      provider: "wavespeed",
      name: "production",
      open: 180_000_000n,
      base: 4_200_000n,
      swing: 310_007n,
    },
    {
      id: "bs-team",
      provider: "bytespike",
      name: "team wallet",
      open: 95_500_000n,
      base: 1_750_000n,
      swing: 120_013n,
    },
    {
      id: "xai-research",
      provider: "xai",
      name: "research",
      open: 60_000_000n,
      base: 2_900_000n,
      swing: 205_019n,
    },
  ];
  const topUps: TopUp[] = [
    {
      account: "ws-prod",
      time: "2026-05-09T10:15:00.000Z",
      amount: "100.00",
      reference: "rcpt_0509",
    },
    {
      account: "bs-team",
      time: "2026-05-20T08:00:00.000Z",
      amount: "50.00",
      reference: "tx-901234",
    },
    {
      account: "xai-research",
      time: "2026-05-14T16:42:00.000Z",
      amount: "75.00",
      reference: "inv-5521",
    },
    {
      account: "ws-prod",
      time: "2026-05-24T09:30:00.000Z",
      amount: "80.00",
      reference: "rcpt_0524",
    },
  ];
  const adjustments = [
    {
      account: "bs-team",
      time: "2026-05-12T12:00:00.000Z",
      amount: "5.00",
      description: "Goodwill credit for the 11 May outage",
    },
    {
      account: "xai-research",
      time: "2026-05-27T07:05:00.000Z",
      amount: "-1.25",
      description: "Correction of a duplicated refund",
    },
  ];
  const moneyIn = new Map<string, bigint>();
  for (const row of [...topUps, ...adjustments]) {
    const key = `${row.account}|${row.time.slice(0, 10)}`;
    moneyIn.set(key, (moneyIn.get(key) ?? 0n) + parseAmount(row.amount));
  }

  const dailySpend: DailySpend[] = [];
  const balances = accounts.map((account) => {
    let balance = account.open;
    const points: BalancePoint[] = [];
    for (let i = 0; i < days; i++) {
      const date = dayOf(dayStart(first + i));
      points.push({ time: `${date}T00:00:00.000Z`, balance: formatAmount(balance) });
      // A weekly rhythm (quieter weekends) with a deterministic wobble.
      const weekend = (first + i + 4) % 7 >= 5;
      const spend =
        (weekend ? account.base / 2n : account.base) + BigInt((i * 7919) % 13) * account.swing;
      dailySpend.push({ date, account: account.id, amount: formatAmount(spend) });
      balance += (moneyIn.get(`${account.id}|${date}`) ?? 0n) - spend;
    }
    points.push({ time: "2026-06-01T00:00:00.000Z", balance: formatAmount(balance) });
    return { account: account.id, points, spent: sumSpend(dailySpend, account.id) };
  });

  // Each account's spend split across its models; the last model takes the rest, so the split
  // adds up to the account's spend exactly.
  const models: Record<string, [string, bigint][]> = {
    "ws-prod": [
      ["wavespeed-ai/flux-dev", 55n],
      ["wavespeed-ai/wan-2.2-t2v", 30n],
      ["openai/whisper-large-v3", 15n],
    ],
    "bs-team": [
      ["seedance-1-pro", 70n],
      ["seedream-4", 30n],
    ],
    "xai-research": [
      ["grok-4", 80n],
      ["grok-4-fast", 20n],
    ],
  };
  const spendByModel = balances.flatMap(({ account, spent }) => {
    let rest = spent;
    return models[account]!.map(([model, percent], i, all) => {
      const share = i === all.length - 1 ? rest : (spent * percent) / 100n;
      rest -= share;
      return { account, model, amount: formatAmount(share) };
    });
  });

  return {
    title: "Spend report — May 2026",
    window: { since: "2026-05-01T00:00:00.000Z", until: "2026-06-01T00:00:00.000Z" },
    generatedAt: "2026-06-01T06:00:00.000Z",
    providers: [
      { id: "wavespeed", name: "WaveSpeedAI" },
      { id: "bytespike", name: "ByteSpike" },
      { id: "xai", name: "xAI" },
      { id: "deepseek", name: "DeepSeek" },
    ],
    accounts: [
      ...accounts.map(({ id, provider, name }) => ({ id, provider, name, currency: "USD" })),
      ...DEEPSEEK.map(({ currency }) => ({
        id: `deepseek/main/${currency}`,
        provider: "deepseek",
        name: "main",
        currency,
      })),
    ],
    dailySpend,
    balances: [
      ...balances.map(({ account, points }) => ({ account, points })),
      ...DEEPSEEK.map(({ currency, balances }) => ({
        account: `deepseek/main/${currency}`,
        points: balances.map((balance, i) => ({ time: SNAPSHOTS[i]!, balance })),
      })),
    ],
    spendByModel,
    topUps,
    adjustments,
    auditEvents: [
      {
        account: "bs-team",
        time: "2026-05-18T03:12:44.000Z",
        kind: "revised",
        message: "Transaction 901188 changed amount from 5.00 to 4.50 after it was first synced",
      },
      {
        account: "ws-prod",
        time: "2026-05-29T22:01:09.000Z",
        kind: "vanished",
        message: "Billing record pred_7f3c is no longer listed by the provider",
      },
    ],
    reconciliation: [
      {
        account: "ws-prod",
        status: "matched",
        checkedAt: "2026-06-01T05:59:00.000Z",
        ledgerBalance: balances[0]!.points.at(-1)!.balance,
        providerBalance: balances[0]!.points.at(-1)!.balance,
      },
      {
        account: "bs-team",
        status: "mismatch",
        checkedAt: "2026-06-01T05:59:02.000Z",
        ledgerBalance: balances[1]!.points.at(-1)!.balance,
        providerBalance: formatAmount(parseAmount(balances[1]!.points.at(-1)!.balance) - 500_000n),
        note: "see the revised transaction 901188",
      },
      {
        account: "xai-research",
        status: "unchecked",
        note: "the provider reports no running balance for this period",
      },
    ],
  };
}

/** When DeepSeek's balances were seen: weekly, and at the end of the window. */
const SNAPSHOTS = [
  "2026-05-01T00:00:00.000Z",
  "2026-05-08T00:00:00.000Z",
  "2026-05-15T00:00:00.000Z",
  "2026-05-22T00:00:00.000Z",
  "2026-05-29T00:00:00.000Z",
  "2026-06-01T00:00:00.000Z",
];

/** One DeepSeek account holding yuan and dollars: two ledgers, never added together. */
const DEEPSEEK = [
  { currency: "CNY", balances: ["500.00", "462.18", "431.07", "388.95", "352.40", "340.12"] },
  { currency: "USD", balances: ["40.00", "38.25", "35.90", "33.10", "31.47", "30.86"] },
];

function sumSpend(rows: DailySpend[], account: string): bigint {
  return rows
    .filter((r) => r.account === account)
    .reduce((total, r) => total + parseAmount(r.amount), 0n);
}
