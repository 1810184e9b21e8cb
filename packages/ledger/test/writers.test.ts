import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CSV_COLUMNS,
  FOCUS_COLUMNS,
  type LedgerEntry,
  parseDecimal,
  writeCsv,
  writeFocus,
  writeJsonLines,
  writeTable,
} from "../src/index.js";
import { API_KEY_TAG, FOCUS_MAPPING } from "../src/writers/focus.js";
import { csvObjects, entry, memoryOutput, parseCsv, streamOf } from "./helpers.js";

const TEAM = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/** One entry of every kind, with text that needs quoting. */
const SAMPLE: LedgerEntry[] = [
  entry({
    provider: "wavespeed",
    id: "txn_1",
    time: "2024-01-15T10:30:00.000Z",
    kind: "topup",
    amount: "100.00",
    description: "top-up via stripe",
  }),
  entry({
    provider: "wavespeed",
    id: "b1",
    time: "2025-10-01T11:13:30.051Z",
    kind: "usage",
    amount: "-0.02",
    model: "bytedance/seedream-v3",
    reference: "cb54",
  }),
  entry({
    provider: "wavespeed",
    id: "b2",
    time: "2025-10-01T11:20:00.000Z",
    kind: "refund",
    amount: "0.02",
    description: 'a "quoted", comma\r\nand lines',
  }),
  entry({
    provider: "bytespike",
    id: "901188",
    time: "2026-05-15T08:14:02.000Z",
    kind: "credit",
    amount: "5.00",
    balanceAfter: "31.40",
    description: "Goodwill credit — failed Doubao call burst, ticket #312",
  }),
  entry({
    provider: "bytespike",
    id: "7",
    time: "2026-05-16T00:00:00.000Z",
    kind: "debit",
    amount: "-3.25",
    balanceAfter: "28.15",
  }),
  entry({
    provider: "bytespike",
    id: "8",
    time: "2026-05-17T00:00:00.000Z",
    kind: "subscription",
    amount: "-20.00",
    balanceAfter: "8.15",
  }),
  entry({
    provider: "xai",
    id: "prepaid-spend",
    time: "2026-04-01T00:10:00.000Z",
    kind: "usage",
    amount: "-62.00",
    raw: { teamId: TEAM, spendBpKeyYear: 2026, spendBpKeyMonth: 3 },
  }),
  entry({
    provider: "xai",
    id: "invoice-9b",
    time: "2026-05-01T00:05:12.000Z",
    kind: "invoice",
    amount: "-67.50",
    reference: "XAI-2026-04-0187",
    raw: { teamId: TEAM, monthly: { billingCycle: { year: 2026, month: 4 } } },
  }),
];

describe("CSV writer", () => {
  it("writes RFC 4180 that parses back to the entries: header, stable columns, CRLF, quoting", async () => {
    const out = memoryOutput();
    expect(await writeCsv(streamOf(SAMPLE), out)).toBe(SAMPLE.length);
    const text = out.text();
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/(?<!")\n/); // every line break outside fields is CRLF
    const rows = csvObjects(text);
    expect(rows).toEqual(
      SAMPLE.map((e) =>
        Object.fromEntries(
          CSV_COLUMNS.map((column) => [column, (e[column] as string | undefined) ?? ""]),
        ),
      ),
    );
    expect(text).toContain('"a ""quoted"", comma\r\nand lines"');
  });

  it("writes only the header for an empty ledger", async () => {
    const out = memoryOutput();
    await writeCsv(streamOf([]), out);
    expect(out.text()).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
  });

  it("round-trips any text, formula starts defused by one apostrophe (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string({ unit: "grapheme" }), fc.string()), { maxLength: 20 }),
        async (texts) => {
          const entries = texts.map(([description, model], i) =>
            entry({
              provider: "xai",
              id: `id,${i}"`,
              time: "2026-01-01T00:00:00.000Z",
              description,
              model,
            }),
          );
          const out = memoryOutput();
          await writeCsv(streamOf(entries), out);
          const rows = csvObjects(out.text());
          // What a spreadsheet would run as a formula comes back with the apostrophe that
          // defused it, and only that.
          const defused = (text: string | undefined) =>
            text !== undefined && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
          expect(rows.map((row) => [row.id, row.description, row.model])).toEqual(
            entries.map((e) => [e.id, defused(e.description), defused(e.model)]),
          );
        },
      ),
    );
  });
});

describe("JSON Lines writer", () => {
  it("writes one JSON object per line that parses back to the entry, raw included", async () => {
    const withRaw = SAMPLE.map((e, i) => ({ ...e, raw: { n: i, nested: { ok: true } } }));
    const out = memoryOutput();
    await writeJsonLines(streamOf(withRaw), out);
    const lines = out.text().split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      withRaw.map((e) => JSON.parse(JSON.stringify(e))),
    );
    expect(Object.keys(JSON.parse(lines[3]!))).toEqual([
      "provider",
      "id",
      "time",
      "kind",
      "amount",
      "balanceAfter",
      "currency",
      "description",
      "raw",
    ]);
  });

  it("leaves raw out on request", async () => {
    const out = memoryOutput();
    await writeJsonLines(streamOf(SAMPLE.slice(0, 1)), out, { raw: false });
    expect(JSON.parse(out.text())).not.toHaveProperty("raw");
  });
});

describe("FOCUS writer", () => {
  const MANDATORY = [
    "BilledCost",
    "EffectiveCost",
    "ListCost",
    "ContractedCost",
    "BillingCurrency",
    "BillingAccountId",
    "BillingAccountName",
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "PricingQuantity",
    "PricingUnit",
    "ServiceName",
    "ServiceCategory",
    "ProviderName",
    "PublisherName",
    "InvoiceIssuerName",
  ];

  async function focusRows(entries: LedgerEntry[]) {
    const out = memoryOutput();
    await writeFocus(streamOf(entries), out);
    return { text: out.text(), rows: csvObjects(out.text()) };
  }

  it("writes the mandatory FOCUS 1.2 columns as CSV that parses back, one row per entry", async () => {
    const { text, rows } = await focusRows(SAMPLE);
    const header = parseCsv(text)[0]!;
    expect(header).toEqual([...FOCUS_COLUMNS]);
    for (const column of MANDATORY) expect(header).toContain(column);
    expect(rows).toHaveLength(SAMPLE.length);
    for (const row of rows) {
      expect(row.BillingCurrency).toBe("USD");
      expect(row.ServiceCategory).toBe("AI and Machine Learning");
      for (const column of [
        "BillingPeriodStart",
        "BillingPeriodEnd",
        "ChargePeriodStart",
        "ChargePeriodEnd",
      ]) {
        expect(row[column]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
      expect(row.ChargePeriodStart! < row.ChargePeriodEnd!).toBe(true);
      expect(row.BillingPeriodStart! <= row.ChargePeriodStart!).toBe(true);
      expect(row.ChargeDescription).not.toBe("");
    }
  });

  it("maps kinds to charge categories; costs are the provider's view (charges positive)", async () => {
    const { rows } = await focusRows(SAMPLE);
    const byId = Object.fromEntries(rows.map((row) => [row.x_SpendkitEntryId, row]));
    expect(byId.txn_1).toMatchObject({
      ChargeCategory: "Purchase",
      ChargeFrequency: "One-Time",
      BilledCost: "100.00",
      EffectiveCost: "0.00",
      ListCost: "100.00",
    });
    expect(byId.b1).toMatchObject({
      ChargeCategory: "Usage",
      BilledCost: "0.00",
      EffectiveCost: "0.02",
      ContractedCost: "0.02",
      PricingQuantity: "1",
      PricingUnit: "Transactions",
    });
    // a refund gives spend back to the balance: negative usage, not billed
    expect(byId.b2).toMatchObject({
      ChargeCategory: "Usage",
      BilledCost: "0.00",
      EffectiveCost: "-0.02",
      PricingQuantity: "1",
      PricingUnit: "Transactions",
    });
    // credits and adjustments carry the charge in every cost column, unpriced
    expect(byId["901188"]).toMatchObject({
      ChargeCategory: "Credit",
      BilledCost: "-5.00",
      EffectiveCost: "-5.00",
      ListCost: "-5.00",
      ContractedCost: "-5.00",
      PricingQuantity: "",
      PricingUnit: "",
    });
    expect(byId["7"]).toMatchObject({
      ChargeCategory: "Adjustment",
      BilledCost: "3.25",
      EffectiveCost: "3.25",
    });
    expect(byId["8"]).toMatchObject({
      ChargeCategory: "Purchase",
      ChargeFrequency: "Recurring",
      EffectiveCost: "20.00",
      BilledCost: "0.00",
    });
    expect(byId["invoice-9b"]).toMatchObject({
      ChargeCategory: "Usage",
      BilledCost: "67.50",
      EffectiveCost: "67.50",
      BillingAccountId: TEAM,
      ProviderName: "xAI",
      ServiceName: "xAI API",
      ChargePeriodStart: "2026-04-01T00:00:00Z",
      ChargePeriodEnd: "2026-05-01T00:00:00Z",
      BillingPeriodStart: "2026-04-01T00:00:00Z",
    });
    // xAI's SPEND is for the month it names, not the day it was booked
    expect(byId["prepaid-spend"]).toMatchObject({
      ChargePeriodStart: "2026-03-01T00:00:00Z",
      ChargePeriodEnd: "2026-04-01T00:00:00Z",
    });
    // other entries: the UTC day of the movement, in its month's billing period
    expect(byId.b1).toMatchObject({
      ChargePeriodStart: "2025-10-01T00:00:00Z",
      ChargePeriodEnd: "2025-10-02T00:00:00Z",
      BillingPeriodStart: "2025-10-01T00:00:00Z",
      BillingPeriodEnd: "2025-11-01T00:00:00Z",
      BillingAccountId: "wavespeed",
      ProviderName: "WaveSpeedAI",
    });
    expect(rows.every((row) => row.ChargeClass === "")).toBe(true);
    expect(Object.keys(FOCUS_MAPPING).sort()).toEqual([
      "credit",
      "debit",
      "invoice",
      "refund",
      "subscription",
      "topup",
      "usage",
    ]);
  });

  it("sums exactly: billed = top-ups + invoices − credits + debits, effective = money consumed", async () => {
    const { rows } = await focusRows(SAMPLE);
    const sum = (column: string) => rows.reduce((acc, row) => acc + parseDecimal(row[column]!), 0n);
    const amount = (e: LedgerEntry) => parseDecimal(e.amount);
    const billedKinds = new Set(["invoice", "credit", "debit"]);
    const paid =
      SAMPLE.filter((e) => e.kind === "topup").reduce((acc, e) => acc + amount(e), 0n) -
      SAMPLE.filter((e) => billedKinds.has(e.kind)).reduce((acc, e) => acc + amount(e), 0n);
    const consumed = -SAMPLE.filter((e) => e.kind !== "topup").reduce(
      (acc, e) => acc + amount(e),
      0n,
    );
    expect(sum("BilledCost")).toBe(paid);
    expect(sum("EffectiveCost")).toBe(consumed);
  });
});

describe("attribution (project, API key id) in every format", () => {
  const attributed = entry({
    provider: "bytespike",
    id: "cost-1",
    time: "2026-05-01T00:00:00.000Z",
    kind: "usage",
    amount: "-1.25",
    project: "=proj_formula",
    apiKey: "key_abc",
  });
  const bare = entry({
    provider: "bytespike",
    id: "cost-2",
    time: "2026-05-02T00:00:00.000Z",
    kind: "usage",
    amount: "-2.00",
  });

  it("CSV ends each row with project and apiKey, text defused like every text column", async () => {
    const out = memoryOutput();
    await writeCsv(streamOf([attributed, bare]), out);
    const [header, first, second] = out.text().split("\r\n");
    expect(header?.endsWith(",reference,project,apiKey")).toBe(true);
    expect(first?.endsWith(`,"'=proj_formula",key_abc`)).toBe(true);
    expect(second?.endsWith(",,")).toBe(true);
  });

  it("JSON Lines carries them, and leaves them out when absent", async () => {
    const out = memoryOutput();
    await writeJsonLines(streamOf([attributed, bare]), out);
    const [first, second] = out
      .text()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(first).toMatchObject({ project: "=proj_formula", apiKey: "key_abc" });
    expect(second).not.toHaveProperty("project");
    expect(second).not.toHaveProperty("apiKey");
  });

  it("FOCUS maps the project to SubAccount* and the key id to a provider-prefixed tag", async () => {
    const out = memoryOutput();
    await writeFocus(streamOf([attributed, bare]), out);
    const [first, second] = csvObjects(out.text());
    expect(first).toMatchObject({
      SubAccountId: "'=proj_formula",
      SubAccountName: "'=proj_formula",
      SubAccountType: "Project",
    });
    expect(JSON.parse(first!.Tags!)).toEqual({ [API_KEY_TAG]: "key_abc" });
    expect(second).toMatchObject({
      SubAccountId: "",
      SubAccountName: "",
      SubAccountType: "",
      Tags: "",
    });
  });
});

describe("table writer", () => {
  it("prints one aligned row per entry and exact totals by provider and kind", async () => {
    const out = memoryOutput();
    await writeTable(streamOf(SAMPLE), out);
    const text = out.text();
    const lines = text.split("\n");
    expect(lines[0]).toMatch(
      /^TIME \(UTC\)\s+PROVIDER\s+KIND\s+AMOUNT\s+CUR\s+BALANCE AFTER\s+DETAIL$/,
    );
    const amountEnd = lines[0]!.indexOf("AMOUNT") + "AMOUNT".length;
    for (const line of lines.slice(1, SAMPLE.length + 1)) {
      expect(line.slice(0, amountEnd)).toMatch(/\d$/); // amounts right-aligned under their header
    }
    expect(text).toContain("2025-10-01 11:13:30  wavespeed   usage");
    expect(text).toContain("Totals by provider, kind and currency");
    const totals = text.slice(text.indexOf("Totals"));
    expect(totals).toMatch(/bytespike\s+all\s+3\s+-18\.25\s+USD/);
    expect(totals).toMatch(/wavespeed\s+all\s+3\s+100\.00\s+USD/);
    expect(totals).toMatch(/xai\s+all\s+2\s+-129\.50\s+USD/);
    expect(totals).toMatch(/all\s+usage\s+2\s+-62\.02\s+USD/);
    expect(totals).toMatch(/all\s+all\s+8\s+-47\.75\s+USD/);
  });

  it("totals each currency apart: a second currency adds lines, never a mixed sum", async () => {
    const out = memoryOutput();
    const at = { provider: "openrouter", time: "2026-11-20T00:00:00.000Z" } as const;
    await writeTable(
      streamOf([
        entry({ ...at, id: "1", amount: "-2.50", currency: "USD" }),
        entry({ ...at, id: "2", amount: "-10.00", currency: "CNY" }),
        entry({ ...at, id: "3", amount: "-0.50", currency: "USD" }),
      ]),
      out,
    );
    const text = out.text();
    expect(text).toMatch(/-10\.00\s+CNY/); // the row carries its currency
    const totals = text.slice(text.indexOf("Totals"));
    expect(totals).toMatch(/all\s+all\s+1\s+-10\.00\s+CNY/);
    expect(totals).toMatch(/all\s+all\s+2\s+-3\.00\s+USD/);
    expect(totals).not.toContain("-13.00");
  });

  it("neutralises control characters in provider text", async () => {
    const out = memoryOutput();
    await writeTable(
      streamOf([
        entry({
          provider: "xai",
          id: "1",
          time: "2026-01-01T00:00:00.000Z",
          description: "evil\u001b[2J\u0007",
        }),
      ]),
      out,
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
    expect(out.text()).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it("says so when the ledger is empty", async () => {
    const out = memoryOutput();
    await writeTable(streamOf([]), out);
    expect(out.text()).toContain("(no entries)");
    expect(out.text()).not.toContain("Totals");
  });
});
