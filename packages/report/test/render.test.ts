import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { exampleReportData } from "../src/example.js";
import { escapeHtml } from "../src/html.js";
import { renderReport } from "../src/render.js";
import { LIST_PER_MONTH } from "../src/tables.js";
import { validateReportData } from "../src/validate.js";
import {
  CURRENCY_TOTALS,
  decimal,
  HOSTILE,
  hostileReportData,
  MIXED_SUMS,
  micros,
  twoCurrencyReportData,
} from "./fixtures.js";

const exec = promisify(execFile);
const DIST = new URL("../dist/", import.meta.url).pathname;

/** `count` top-ups of `account`, one every `stepMs` from `from`, the i-th of `amount(i)`. */
function topUpsEvery(
  account: string,
  from: string,
  stepMs: number,
  count: number,
  amount: (i: number) => string,
) {
  return Array.from({ length: count }, (_, i) => ({
    account,
    time: new Date(Date.parse(from) + i * stepMs).toISOString(),
    amount: amount(i),
  }));
}

describe("renderReport", () => {
  it("writes one page that refers to nothing outside itself", async () => {
    const page = await renderReport(exampleReportData());
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain(
      `http-equiv="Content-Security-Policy" content="${escapeHtml("default-src 'none';")}`,
    );
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face/i);
    expect(page).not.toMatch(/\s(src|srcset|href|action|poster)=/i);
    expect(page.match(/url\((?!#)/g)).toBeNull();
    // The only URLs left are SVG's XML namespaces, which nothing fetches.
    expect(new Set(page.match(/https?:\/\/[^"'\s)]+/g))).toEqual(
      new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]),
    );
    // Four charts, and the balances twice: DeepSeek's CNY ledger has a chart of its own.
    expect(page.match(/<svg /g)).toHaveLength(5);
  });

  it("shows the example's DeepSeek balances in CNY and USD side by side, in no common total", async () => {
    const data = exampleReportData();
    const page = await renderReport(data);
    expect(page.match(/<figure data-chart="balance" data-currency="(\w+)">/g)).toEqual([
      '<figure data-chart="balance" data-currency="USD">',
      '<figure data-chart="balance" data-currency="CNY">',
    ]);
    expect(page).toContain("main (DeepSeek, CNY) at 2026-06-01T00:00:00.000Z: 340.12 CNY");
    expect(page).toContain("main (DeepSeek, USD) at 2026-06-01T00:00:00.000Z: 30.86 USD");
    const latest = data.balances
      .filter((s) => !s.account.endsWith("/CNY"))
      .reduce((total, s) => total + micros(s.points.at(-1)!.balance), 0n);
    const cny = micros("340.12");
    const balanceCell = (value: bigint, currency: string) =>
      `<td class="amount" data-field="balance">${decimal(value)}<span class="currency"> ${currency}</span></td></tr>`;
    expect(page).toContain(
      `<tr data-provider="*" data-currency="USD" class="total">\n<th scope="row">All providers</th>`,
    );
    expect(page).toContain(balanceCell(latest, "USD"));
    expect(page).toContain(balanceCell(cny, "CNY"));
    expect(page).not.toContain(decimal(latest + cny));
  });

  it("escapes every server-provided string", async () => {
    const page = await renderReport(hostileReportData());
    for (const text of Object.values(HOSTILE)) expect(page).not.toContain(text);
    expect(page).toContain(escapeHtml(HOSTILE.description));
    expect(page).toContain(escapeHtml(HOSTILE.audit));
    expect(page).not.toMatch(/<(script|img|iframe|a |link)/i);
  });

  it("shows an empty window as such rather than failing", async () => {
    const data = exampleReportData();
    Object.assign(data, {
      dailySpend: [],
      balances: [],
      spendByModel: [],
      topUps: [],
      adjustments: [],
      auditEvents: [],
      reconciliation: [],
    });
    const page = await renderReport(data);
    expect(page).not.toContain("<svg");
    expect(page).toContain("No spend in this window.");
    expect(page).toContain(
      '<td class="amount" data-field="spend">0.00<span class="currency"> USD</span></td>',
    );
  });

  it("shows spend per project and per key where the data attributes spend, largest first", async () => {
    const data = exampleReportData();
    const account = data.accounts[0]!.id;
    data.spendByProject = [
      { account, name: "proj_small", amount: "1.25" },
      { account, name: "default", amount: "26.242891" },
    ];
    data.spendByKey = [{ account, name: "key_abc", amount: "12.56" }];
    const page = await renderReport(data);
    const projects = page.slice(page.indexOf('data-table="projects"'));
    expect(projects.indexOf("default")).toBeLessThan(projects.indexOf("proj_small"));
    expect(projects).toContain(
      '<td class="amount" data-field="amount">26.242891<span class="currency"> USD</span></td>',
    );
    expect(page).toContain('data-table="keys"');
    expect(page.slice(page.indexOf('data-table="keys"'))).toContain("key_abc");
    // None of it where no provider attributes spend.
    const plain = await renderReport(exampleReportData());
    expect(plain).not.toContain('data-table="projects"');
    expect(plain).not.toContain('data-table="keys"');
  });

  it("says once that a section is empty", async () => {
    const data = exampleReportData();
    Object.assign(data, { spendByModel: [], topUps: [], balances: [] });
    const page = await renderReport(data);
    expect(page.split("No spend by model in this window.")).toHaveLength(2);
    expect(page.split("No top-ups in this window.")).toHaveLength(2);
    expect(page.split("No account reports a balance.")).toHaveLength(2);
  });

  it("draws many top-ups as one dot per account and day, with the day's exact sum", async () => {
    const data = exampleReportData();
    const account = data.accounts[0]!.id;
    // 500 top-ups of 10.25, 100 a day from 2026-01-01.
    const topUps = topUpsEvery(account, "2026-01-01T00:00:00Z", 864_000, 500, () => "10.25");
    Object.assign(data, {
      window: { since: "2026-01-01T00:00:00.000Z", until: "2026-01-06T00:00:00.000Z" },
      topUps,
    });
    const page = await renderReport(data);
    expect(page).toContain("top-ups per day (USD)");
    expect(page).toContain("on 2026-01-01: 100 top-ups, 1025.00 USD");
    expect(page).toContain("on 2026-01-05: 100 top-ups, 1025.00 USD");
  });

  it("folds a year of top-ups into one summed line per month", async () => {
    const data = exampleReportData();
    const account = data.accounts[0]!.id;
    // A top-up of 10.25 every other day of 2026 (16 in January, 15 in March), and one of
    // 0.000001 more at the end of March.
    const topUps = topUpsEvery(account, "2026-01-01T00:00:00Z", 2 * 86_400_000, 183, () => "10.25");
    topUps.push({ account, time: "2026-03-31T23:59:59.999Z", amount: "0.000001" });
    Object.assign(data, {
      window: { since: "2026-01-01T00:00:00.000Z", until: "2027-01-01T00:00:00.000Z" },
      topUps,
    });
    const page = await renderReport(data);
    const months = [
      ...page.matchAll(/<details data-month="(\d{4}-\d{2})"><summary>([^<]*)<\/summary>/g),
    ];
    expect(months.map((m) => m[1])).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`),
    );
    expect(months[0]![2]).toBe("2026-01: 16 top-ups, 164.00 USD");
    expect(months[2]![2]).toBe("2026-03: 16 top-ups, 153.750001 USD");
    // Every row is still on the page, inside its month.
    expect(page.match(/<tr><td>2026-/g)?.length).toBeGreaterThanOrEqual(184);
  });

  it("lists the first rows of a busy month, sums them all, and says how to list the rest", async () => {
    const data = exampleReportData();
    const account = data.accounts[0]!.id;
    // 1,000 top-ups of 0.01 in December 2026, the last of 2.00.
    const topUps = topUpsEvery(account, "2026-12-01T00:00:00Z", 60_000, 1_000, (i) =>
      i === 999 ? "2.00" : "0.01",
    );
    Object.assign(data, {
      window: { since: "2026-12-01T00:00:00.000Z", until: "2027-01-01T00:00:00.000Z" },
      topUps,
    });
    const page = await renderReport(data);
    const month = page.slice(page.indexOf('<details data-month="2026-12">'));
    expect(month).toContain("<summary>2026-12: 1000 top-ups, 11.99 USD</summary>");
    expect(month.slice(0, month.indexOf("</details>")).match(/<tr><td>2026-/g)).toHaveLength(
      LIST_PER_MONTH,
    );
    expect(month).toContain(
      `${1_000 - LIST_PER_MONTH} more top-ups are summed above, and <code>spendkit export --since 2026-12-01 --until 2027-01-01</code>`,
    );
  });
});

describe("a report in two currencies", () => {
  /** The section under the heading `title`, up to the next heading. */
  const section = (page: string, title: string) => {
    const start = page.indexOf(`<h2>${title}</h2>`);
    expect(start).toBeGreaterThan(-1);
    const end = page.indexOf("<h2>", start + 1);
    return page.slice(start, end === -1 ? undefined : end);
  };
  const cell = (field: string, value: string, currency: string) =>
    `<td class="amount" data-field="${field}">${value}<span class="currency"> ${currency}</span></td>`;

  it("totals each currency on its own and never adds two", async () => {
    const totals = section(await renderReport(twoCurrencyReportData()), "Totals");
    expect(totals.match(/<table data-table="totals">/g)).toHaveLength(2);
    /** The totals row of one provider ("*": all) in one currency. */
    const row = (provider: string, currency: string) => {
      const start = totals.indexOf(`<tr data-provider="${provider}" data-currency="${currency}"`);
      expect(start, `${provider} in ${currency}`).toBeGreaterThan(-1);
      return totals.slice(start, totals.indexOf("</tr>", start));
    };
    for (const [currency, t] of Object.entries(CURRENCY_TOTALS)) {
      const overall = row("*", currency);
      expect(overall).toContain(cell("spend", t.spend, currency));
      expect(overall).toContain(cell("topUps", t.topUps, currency));
      expect(overall).toContain(cell("balance", t.balance, currency));
      expect(row("deepseek", currency)).toContain(cell("spend", t.deepseekSpend, currency));
    }
    // OpenAI has no CNY account, so no CNY row.
    expect(totals).not.toContain('data-provider="openai" data-currency="CNY"');
    for (const mixed of Object.values(MIXED_SUMS)) expect(totals).not.toContain(mixed);
  });

  it("draws each chart once per currency, naming only that currency", async () => {
    const page = await renderReport(twoCurrencyReportData());
    const figures = [
      ...page.matchAll(/<figure data-chart="(\w+)" data-currency="(\w+)">([\s\S]*?)<\/figure>/g),
    ];
    expect(figures.map(([, chart, currency]) => `${chart} ${currency}`)).toEqual([
      "spend USD",
      "spend CNY",
      "balance USD",
      "balance CNY",
      "model USD",
      "model CNY",
      "topup USD",
      "topup CNY",
    ]);
    for (const [, chart, currency, figure] of figures) {
      const other = currency === "USD" ? "CNY" : "USD";
      expect(figure, `${chart} in ${currency}`).not.toContain(other);
      expect(figure).toMatch(new RegExp(`(spend|balance|top-up) \\(${currency}\\)`));
      // Every exact amount in a tooltip is followed by this chart's currency.
      const amounts = [...figure!.matchAll(/<title>[^<]*?: (-?\d+\.\d+) ([A-Z]{3})/g)];
      expect(amounts.length).toBeGreaterThan(0);
      for (const [, , code] of amounts) expect(code).toBe(currency);
    }
    // The CNY spend chart has DeepSeek only: OpenAI has no CNY account.
    const cnySpend = figures[1]![3]!;
    expect(cnySpend).toContain("2026-05-02 · DeepSeek: 3.001 CNY");
    expect(cnySpend).not.toContain("OpenAI");
  });

  it("never shows a sum of two currencies anywhere on the page", async () => {
    const page = await renderReport(twoCurrencyReportData());
    for (const [what, mixed] of Object.entries(MIXED_SUMS)) {
      expect(page, what).not.toContain(mixed);
    }
    // Each currency's own figures are there, with their code.
    for (const [currency, t] of Object.entries(CURRENCY_TOTALS)) {
      for (const figure of Object.values(t)) {
        expect(page).toContain(`${figure}<span class="currency"> ${currency}</span>`);
      }
    }
    expect(page).toContain("2026-05-02 · DeepSeek: 1.10 USD");
    expect(page).toContain("deepseek-chat (DeepSeek): 103.071 CNY");
  });

  it("says once per section that it is empty, however many currencies", async () => {
    const data = twoCurrencyReportData();
    Object.assign(data, { dailySpend: [], balances: [], spendByModel: [], topUps: [] });
    const page = await renderReport(data);
    const empty = [...page.matchAll(/<p class="empty"[^>]*>([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(empty).toEqual([
      "No spend in this window.",
      "No account reports a balance.",
      "No spend by model in this window.",
      "No top-ups in this window.",
      "No open audit events.",
      "No account has been reconciled.",
    ]);
  });

  it("names each account with its currency, so two ledgers of one name differ", async () => {
    const page = await renderReport(twoCurrencyReportData());
    expect(page).toContain("main (CNY), main (USD)");
    const runway = section(page, "Balances and runway");
    expect(runway).toContain(
      '<tr data-account="deepseek/main/CNY"><td>main <span class="muted">DeepSeek, CNY</span></td>',
    );
    expect(runway).toContain(
      '<tr data-account="deepseek/main/USD"><td>main <span class="muted">DeepSeek, USD</span></td>',
    );
    expect(page).toContain("amounts in USD and CNY, exact; each total is in one currency");
  });
});

describe("validateReportData", () => {
  const broken = (change: (data: ReturnType<typeof exampleReportData>) => void) => {
    const data = exampleReportData();
    change(data);
    return () => validateReportData(data);
  };

  it("accepts the example", () => {
    expect(() => validateReportData(exampleReportData())).not.toThrow();
  });

  it("checks attributed spend like any other amount", () => {
    expect(
      broken((d) => {
        d.spendByProject = [{ account: d.accounts[0]!.id, name: "p", amount: "1e2" }];
      }),
    ).toThrow("spendByProject[0].amount is not a decimal amount");
    expect(
      broken((d) => {
        d.spendByKey = [{ account: "nobody", name: "k", amount: "1.00" }];
      }),
    ).toThrow(/spendByKey\[0\]/);
  });

  it("takes a currency only as three upper-case letters", () => {
    for (const currency of ["usd", "US", "USDX", "U5D", "", undefined]) {
      expect(
        broken((d) => {
          d.accounts[1]!.currency = currency as string;
        }),
      ).toThrow(
        `accounts[1].currency is not an ISO 4217 code (three upper-case letters): ${JSON.stringify(currency)}`,
      );
    }
    expect(
      broken((d) => {
        d.accounts[1]!.currency = "CNY";
      }),
    ).not.toThrow();
  });

  it("names the field that is wrong", () => {
    expect(
      broken((d) => {
        delete (d as Partial<typeof d>).topUps;
      }),
    ).toThrow("topUps must be an array");
    expect(
      broken((d) => {
        d.dailySpend[3]!.amount = "1.5e2";
      }),
    ).toThrow("dailySpend[3].amount is not a decimal amount");
    expect(
      broken((d) => {
        d.topUps[0]!.account = "nobody";
      }),
    ).toThrow("topUps[0] names an unknown account nobody");
    expect(
      broken((d) => {
        d.accounts[0]!.provider = "acme";
      }),
    ).toThrow("unknown provider acme");
    expect(broken((d) => void d.providers.push({ ...d.providers[0]! }))).toThrow(
      "provider wavespeed appears twice",
    );
    expect(
      broken((d) => {
        d.balances[1]!.points[2]!.time = "soon";
      }),
    ).toThrow("balances[1].points[2].time");
    expect(
      broken((d) => {
        d.window.until = d.window.since;
      }),
    ).toThrow("window.since must be before");
    expect(
      broken((d) => {
        d.reconciliation[0]!.status = "fine" as never;
      }),
    ).toThrow("reconciliation[0].status");
    expect(
      broken((d) => {
        d.dailySpend[0]!.date = "2026-5-1";
      }),
    ).toThrow("dailySpend[0].date is not a YYYY-MM-DD day");
  });
});

describe("the built package", () => {
  it("loads vega and vega-lite only when a report is rendered", async () => {
    for (const file of ["index.js", "index.cjs"]) {
      if (!existsSync(join(DIST, file)))
        throw new Error(`dist/${file} is missing: run \`pnpm build\` first (\`pnpm test\` does)`);
    }
    const work = mkdtempSync(join(tmpdir(), "spendkit-report-lazy-"));
    try {
      // A resolve hook that fails any import of vega: importing the package and using everything
      // but renderReport must work, and renderReport must be what trips it.
      writeFileSync(
        join(work, "hooks.mjs"),
        `export async function resolve(specifier, context, next) {
  if (/^vega(-lite)?$/.test(specifier)) throw new Error("imported " + specifier);
  return next(specifier, context);
}\n`,
      );
      writeFileSync(
        join(work, "register.mjs"),
        `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`,
      );
      const script = (load: string) => `
const report = ${load};
const data = report.exampleReportData();
report.validateReportData(data);
const runway = report.forecastRunway({ balance: "3.00", asOf: "2026-05-02T00:00:00Z", dailySpend: [{ date: "2026-05-01", amount: "1.00" }], trailingDays: 1 });
console.log("without vega:", runway.daysLeft);
await report.renderReport(data).then(() => console.log("rendered"), (error) => console.log(error.message));
`;
      for (const load of [
        `await import(${JSON.stringify(pathToFileURL(join(DIST, "index.js")).href)})`,
        `(await import("node:module")).createRequire(import.meta.url)(${JSON.stringify(join(DIST, "index.cjs"))})`,
      ]) {
        const { stdout } = await exec(process.execPath, [
          "--import",
          pathToFileURL(join(work, "register.mjs")).href,
          "--input-type=module",
          "-e",
          script(load),
        ]);
        expect(stdout.trim().split("\n")).toEqual([
          "without vega: 3",
          expect.stringMatching(/^imported vega(-lite)?$/),
        ]);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
