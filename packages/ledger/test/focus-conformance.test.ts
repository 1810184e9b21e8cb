// The FOCUS export against FOCUS 1.2 as an outsider reads it: a conformance checker built from
// the specification's column definitions (test/focus/), first shown to catch each class of
// violation, then run over every row spendkit can write.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMicros, parseDecimal } from "../src/money.js";
import type { LedgerEntry } from "../src/types.js";
import { FOCUS_COLUMNS, writeFocus } from "../src/writers/focus.js";
import {
  checkFocusRows,
  type FocusRecord,
  focusRecords,
  type Violation,
} from "./focus/conformance.js";
import {
  adapterEntries,
  everyKindEntries,
  KINDS,
  PROVIDERS,
  TEAM,
  XAI_CHANGES,
  XAI_INVOICES,
} from "./focus/entries.js";
import { memoryOutput, streamOf } from "./helpers.js";

async function exported(entries: LedgerEntry[]): Promise<FocusRecord[]> {
  const out = memoryOutput();
  await writeFocus(streamOf(entries), out);
  return focusRecords(out.text());
}

/** Violations in a readable form, so that a failure says which rule broke and why. */
const explain = (violations: Violation[]) =>
  violations.map((v) => `${v.rule} (${v.source}) row ${v.row ?? "-"}: ${v.message}`);

/** A row the export writes for a usage entry: the starting point of each broken row below. */
async function usageRow(): Promise<FocusRecord> {
  const [row] = await exported([
    {
      provider: "wavespeed",
      id: "d6b4",
      time: "2025-10-01T11:13:30.051Z",
      kind: "usage",
      amount: "-0.02",
      currency: "USD",
      raw: {},
    },
  ]);
  return row!;
}

/** The row with some cells replaced (null empties a cell) and some columns removed. */
function changed(
  row: FocusRecord,
  cells: Record<string, string | null>,
  remove: string[] = [],
): FocusRecord {
  const next: Record<string, string | null> = { ...row, ...cells };
  for (const column of remove) delete next[column];
  return next;
}

describe("the FOCUS 1.2 conformance checker", () => {
  it("passes the row the export writes for a usage entry", async () => {
    expect(explain(checkFocusRows([await usageRow()]))).toEqual([]);
  });

  const CASES: [string, Record<string, string | null>, string[], string][] = [
    // The old export's credit: consumed but not billed.
    [
      "a Credit whose EffectiveCost is not its BilledCost",
      { ChargeCategory: "Credit", BilledCost: "0.00", EffectiveCost: "-5.00" },
      [],
      "EffectiveCost.unrelated-charge",
    ],
    [
      "a Credit whose ListCost is not its BilledCost",
      { ChargeCategory: "Credit", BilledCost: "0.00", EffectiveCost: "0.00", ListCost: "-5.00" },
      [],
      "ListCost.unrelated-charge",
    ],
    [
      "an Adjustment whose ContractedCost is not its BilledCost",
      { ChargeCategory: "Adjustment", BilledCost: "1.00", EffectiveCost: "1.00", ListCost: "1.00" },
      [],
      "ContractedCost.unrelated-charge",
    ],
    [
      "a billed Usage row whose ListCost differs, with no unit price",
      { BilledCost: "0.03", EffectiveCost: "0.03", ContractedCost: "0.03" },
      [],
      "ListCost.unrelated-charge",
    ],
    ["an unknown charge category", { ChargeCategory: "Refund" }, [], "ChargeCategory.allowed"],
    ["a charge class other than Correction", { ChargeClass: "Refund" }, [], "ChargeClass.allowed"],
    ["a null BilledCost", { BilledCost: null }, [], "BilledCost.not-null"],
    ["a positive sign", { BilledCost: "+1.00" }, [], "BilledCost.type"],
    ["a thousands separator", { ListCost: "1,000.00" }, [], "ListCost.type"],
    ["a currency symbol", { EffectiveCost: "$0.02" }, [], "EffectiveCost.type"],
    ["a lowercase currency code", { BillingCurrency: "usd" }, [], "BillingCurrency.currency"],
    [
      "a date-time without T and Z",
      { ChargePeriodStart: "2025-10-01 00:00:00" },
      [],
      "ChargePeriodStart.type",
    ],
    [
      "a date-time that does not exist",
      { BillingPeriodEnd: "2025-02-30T00:00:00Z" },
      [],
      "BillingPeriodEnd.type",
    ],
    [
      "an empty charge period",
      { ChargePeriodEnd: "2025-10-01T00:00:00Z" },
      [],
      "ChargePeriodStart.before-ChargePeriodEnd",
    ],
    [
      "a billing period ending before it starts",
      { BillingPeriodEnd: "2025-09-01T00:00:00Z" },
      [],
      "BillingPeriodStart.before-BillingPeriodEnd",
    ],
    [
      "a charge outside its billing period",
      { BillingPeriodStart: "2025-11-01T00:00:00Z", BillingPeriodEnd: "2025-12-01T00:00:00Z" },
      [],
      "ChargePeriodStart.in-billing-period",
    ],
    ["a usage-based purchase", { ChargeCategory: "Purchase" }, [], "ChargeFrequency.purchase"],
    [
      "a Usage row without a quantity",
      { PricingQuantity: null },
      [],
      "PricingQuantity.by-category",
    ],
    [
      "a quantity without a unit",
      { PricingUnit: null },
      [],
      "PricingUnit.null-with-PricingQuantity",
    ],
    [
      "a Tax row with a quantity",
      { ChargeCategory: "Tax", ChargeFrequency: "One-Time" },
      [],
      "PricingQuantity.by-category",
    ],
    [
      "a subcategory of another category",
      { ServiceSubcategory: "Virtual Machines" },
      [],
      "ServiceSubcategory.parent",
    ],
    ["a negative unit price", { ListUnitPrice: "-0.02" }, [], "ListUnitPrice.non-negative"],
    [
      "a unit price times quantity that is not the cost",
      { ListUnitPrice: "0.03" },
      [],
      "ListUnitPrice.times-quantity",
    ],
    ["tags that are not a JSON object", { Tags: "[1]" }, [], "Tags.type"],
    ["tags with a nested value", { Tags: '{"team":{"a":1}}' }, [], "Tags.type"],
    [
      "a region name without a region",
      { RegionName: "Frankfurt" },
      [],
      "RegionName.null-with-RegionId",
    ],
    [
      "a consumed quantity on a credit",
      {
        ChargeCategory: "Credit",
        BilledCost: "0.02",
        ConsumedQuantity: "1",
        ConsumedUnit: "Requests",
      },
      [],
      "ConsumedQuantity.by-category",
    ],
    [
      "a commitment status without a commitment",
      { CommitmentDiscountStatus: "Used" },
      [],
      "CommitmentDiscountStatus.null-when-CommitmentDiscountId-null",
    ],
    ["a missing mandatory column", {}, ["ContractedCost"], "ContractedCost.present"],
    ["a missing recommended column", {}, ["InvoiceId"], "InvoiceId.present"],
    [
      "a custom column without the x_ prefix",
      { SpendkitKind: "usage" },
      [],
      "dataset.custom-prefix",
    ],
    ["a null not-nullable string", { ServiceName: null }, [], "ServiceName.not-null"],
  ];

  it.each(CASES)("reports %s", async (_name, cells, remove, rule) => {
    const violations = checkFocusRows([changed(await usageRow(), cells, remove)]);
    expect(violations.map((v) => v.rule)).toContain(rule);
    expect(violations.every((v) => v.source.endsWith(".md"))).toBe(true);
  });

  it("reports a FOCUS column after a custom one", async () => {
    const row = await usageRow();
    const columns = [...Object.keys(row).filter((c) => c !== "BilledCost"), "BilledCost"];
    expect(checkFocusRows([row], columns).map((v) => v.rule)).toEqual(["dataset.custom-last"]);
  });
});

describe("the FOCUS export conforms to FOCUS 1.2", () => {
  it("for every ledger kind of every provider: typical, zero and opposite-sign amounts, with and without extras", async () => {
    const entries = everyKindEntries();
    const rows = await exported(entries);
    expect(rows).toHaveLength(PROVIDERS.length * KINDS.length * 6);
    expect(explain(checkFocusRows(rows))).toEqual([]);
    // every charge category spendkit writes is covered
    expect(new Set(rows.map((row) => row.ChargeCategory))).toEqual(
      new Set(["Usage", "Purchase", "Credit", "Adjustment"]),
    );
  });

  it("for what the adapters book from the providers' records", async () => {
    const entries = adapterEntries();
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(KINDS));
    expect(explain(checkFocusRows(await exported(entries)))).toEqual([]);
  });

  it("names the invoice of xAI purchases and monthly invoices, and bills each invoice its total", async () => {
    const rows = await exported(adapterEntries());
    const invoiced = rows.filter((row) => row.InvoiceId !== null);
    expect(
      invoiced.every((row) => row.ProviderName === "xAI" && row.BillingAccountId === TEAM),
    ).toBe(true);
    // billedcost.md: the BilledCost of an InvoiceId sums to what that invoice asks for
    const billed = new Map<string, bigint>();
    for (const row of invoiced) {
      billed.set(
        row.InvoiceId!,
        (billed.get(row.InvoiceId!) ?? 0n) + parseDecimal(row.BilledCost!),
      );
    }
    const owed = new Map<string, bigint>([
      ...XAI_CHANGES.filter((c) => c.invoiceId).map(
        (c) => [c.invoiceId!, -BigInt(c.amount.val) * 10_000n] as const,
      ),
      ...XAI_INVOICES.map((i) => [i.invoiceId, BigInt(i.total) * 10_000n] as const),
    ]);
    expect(billed).toEqual(owed);
    // spend from the prepaid balance is on no invoice
    expect(
      rows.filter((row) => row.x_SpendkitKind === "usage").map((row) => row.InvoiceId),
    ).toEqual(rows.filter((row) => row.x_SpendkitKind === "usage").map(() => null));
  });

  it("for xAI billing months FOCUS cannot write (the entry keeps its day), and for December 9999", async () => {
    const xai = (raw: unknown, time = "2026-03-05T10:00:00.000Z"): LedgerEntry => ({
      provider: "xai",
      id: JSON.stringify(raw),
      time,
      kind: "usage",
      amount: "-1.00",
      currency: "USD",
      raw,
    });
    const rows = await exported([
      xai({ spendBpKeyYear: 26, spendBpKeyMonth: 3 }),
      xai({ spendBpKeyYear: 12026, spendBpKeyMonth: 3 }),
      xai({ spendBpKeyYear: 2026.5, spendBpKeyMonth: 3 }),
      xai({ spendBpKeyYear: "2026", spendBpKeyMonth: 3 }),
      xai({ monthly: { billingCycle: { year: 2026, month: 13 } } }),
      xai({ spendBpKeyYear: 9999, spendBpKeyMonth: 12 }),
      xai({}, "9999-12-31T23:59:59.999Z"),
    ]);
    expect(explain(checkFocusRows(rows))).toEqual([]);
    expect(rows.slice(0, 5).map((row) => row.ChargePeriodStart)).toEqual(
      Array(5).fill("2026-03-05T00:00:00Z"),
    );
    expect(rows[6]).toMatchObject({
      ChargePeriodEnd: "9999-12-31T23:59:59Z",
      BillingPeriodEnd: "9999-12-31T23:59:59Z",
    });
  });

  it("for any entry (property)", async () => {
    const text = fc.string({ maxLength: 12 });
    const month = fc.option(fc.integer({ min: -1, max: 13 }));
    const year = fc.option(fc.oneof(fc.integer({ min: 1969, max: 2100 }), fc.integer()));
    const raw = fc.record(
      {
        teamId: fc.option(fc.string({ maxLength: 8 })),
        invoiceId: fc.option(fc.string({ maxLength: 8 })),
        spendBpKeyYear: year,
        spendBpKeyMonth: month,
        monthly: fc.record({ billingCycle: fc.record({ year, month }) }),
      },
      { requiredKeys: [] },
    );
    // The optional fields of an entry are absent or set, never undefined.
    const entry: fc.Arbitrary<LedgerEntry> = fc.record(
      {
        provider: fc.constantFrom(...PROVIDERS),
        id: fc.string({ minLength: 1, maxLength: 12 }),
        time: fc
          .date({
            min: new Date(Date.UTC(1970, 0, 1)),
            max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
            noInvalidDate: true,
          })
          .map((date) => date.toISOString()),
        kind: fc.constantFrom(...KINDS),
        amount: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map(formatMicros),
        balanceAfter: fc.bigInt().map(formatMicros),
        currency: fc.constant("USD" as const),
        description: text,
        model: text,
        reference: text,
        raw,
      },
      { requiredKeys: ["provider", "id", "time", "kind", "amount", "currency", "raw"] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 8 }), async (entries) => {
        expect(explain(checkFocusRows(await exported(entries)))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps FOCUS's column order: FOCUS columns alphabetical, spendkit's x_ columns last", () => {
    const focus = FOCUS_COLUMNS.filter((column) => !column.startsWith("x_"));
    expect(focus).toEqual([...focus].sort());
    expect(FOCUS_COLUMNS.slice(focus.length).every((column) => column.startsWith("x_"))).toBe(true);
  });
});
