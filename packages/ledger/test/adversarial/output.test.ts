// Class 4 of the hostile-data suite: what the writers put out is safe to open. CSV and FOCUS
// quote CR and LF in any column and defuse spreadsheet formulas in text columns while amounts
// keep their sign; the table neutralises control characters and terminal escape sequences.
import { adversarial } from "@spendkit/mock";
import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../src/index.js";
import { writeCsv } from "../../src/writers/csv.js";
import { FOCUS_COLUMNS, writeFocus } from "../../src/writers/focus.js";
import { writeTable } from "../../src/writers/table.js";
import { csvObjects, entry, memoryOutput, streamOf } from "../helpers.js";

const { CONTROL } = adversarial;

const FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"];

function hostileEntries(): LedgerEntry[] {
  return FORMULAS.map((text, i) =>
    entry({
      provider: "bytespike",
      id: i === 0 ? "=1+1" : `id\r\n${i}`,
      time: `2026-01-0${i + 1}T00:00:00.000Z`,
      amount: i % 2 ? "-15.50" : "3.25",
      balanceAfter: "-1.00",
      description: text,
      model: `model\n${text}`,
      reference: `ref,"${i}"\r`,
    }),
  );
}

/** True when a spreadsheet would read the cell as a formula. */
const formula = (cell: string) => /^[=+\-@\t\r]/.test(cell);

describe("class 4: CSV and FOCUS cells are safe", () => {
  it("CSV: every row parses back (CR/LF quoted), no text cell starts a formula, amounts keep their sign", async () => {
    const out = memoryOutput();
    await writeCsv(streamOf(hostileEntries()), out);
    const rows = csvObjects(out.text());
    expect(rows).toHaveLength(FORMULAS.length);
    for (const row of rows) {
      for (const column of ["id", "description", "model", "reference", "provider", "kind"]) {
        expect(formula(row[column]!)).toBe(false);
      }
      expect(row.amount).toMatch(/^-?\d+\.\d+$/);
      expect(row.balanceAfter).toBe("-1.00");
    }
    expect(rows[0]!.description).toBe(`'${FORMULAS[0]}`);
    expect(rows[1]!.amount).toBe("-15.50");
    expect(rows[1]!.id).toBe("id\r\n1");
  });

  it("FOCUS: the same, over every column it writes", async () => {
    const out = memoryOutput();
    await writeFocus(streamOf(hostileEntries()), out);
    const rows = csvObjects(out.text());
    const numeric = new Set([
      "BilledCost",
      "ContractedCost",
      "EffectiveCost",
      "ListCost",
      "x_SpendkitAmount",
      "x_SpendkitBalanceAfter",
    ]);
    for (const row of rows) {
      for (const column of FOCUS_COLUMNS) {
        if (numeric.has(column)) continue;
        expect(formula(row[column]!), `${column}: ${JSON.stringify(row[column])}`).toBe(false);
      }
    }
    expect(rows[1]!.x_SpendkitAmount).toBe("-15.50");
    expect(rows[1]!.EffectiveCost).toBe("15.50");
  });
});

describe("class 4: terminal output neutralises control characters", () => {
  it("the table writes no ESC, CSI, BEL or bidi override from server text", async () => {
    const out = memoryOutput();
    await writeTable(
      streamOf([
        entry({
          provider: "xai",
          id: "1",
          time: "2026-01-01T00:00:00.000Z",
          description: "\u001b[31mred\u001b[0m \u009b2J \u0007 \u202eevil",
          model: "m\u001b]0;title\u0007",
        }),
      ]),
      out,
    );
    const text = out.text();
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain("red");
  });
});
