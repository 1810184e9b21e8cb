import { describe, expect, it } from "vitest";
import { readCoreApi } from "../src/core-api.js";
import { checkMoneyUnits, moneyFields } from "../src/model/money.js";
import { operationsTable } from "../src/model/operations.js";
import { CORE_DIR, fixture, fixtureSpec } from "./support.js";

const { moneyUnits } = readCoreApi(CORE_DIR);

describe("money units from x-spendkit-money", () => {
  it("are the units core's OperationSpec.money accepts", () => {
    expect(moneyUnits).toEqual([
      "usd",
      "usd-cents",
      "usd-cents-object",
      "usd-cent-millionths",
      "decimal",
      "cents-decimal",
    ]);
  });

  it("are listed per operation by path, with * for array items", () => {
    const operations = operationsTable(fixtureSpec("money-unit-added"), moneyUnits);
    expect(operations.listTransactions!.money).toEqual({ "/items/*/amount_usd": "usd" });
    expect(operations.getBalance!.money).toBeUndefined();
  });

  it("start at the payload when an envelope wraps it, and follow $refs, allOf and unions", () => {
    const document = {
      components: {
        schemas: {
          Cents: { type: "object", "x-spendkit-money": "usd-cents-object" },
          Row: {
            allOf: [
              { properties: { fee: { $ref: "#/components/schemas/Cents" } } },
              { properties: { net: { oneOf: [{ type: "null" }, { "x-spendkit-money": "usd" }] } } },
            ],
          },
        },
      },
    };
    const body = {
      properties: {
        code: { type: "integer" },
        data: {
          properties: {
            rows: { type: "array", items: { $ref: "#/components/schemas/Row" } },
            "a/b": { "x-spendkit-money": "usd" },
          },
        },
      },
    };
    expect(moneyFields(document, body, "data")).toEqual({
      "/rows/*/fee": "usd-cents-object",
      "/rows/*/net": "usd",
      "/a~1b": "usd",
    });
  });

  it("fail generation, naming the place, when a unit is not one core knows", () => {
    const spec = fixtureSpec("money-unit-added");
    spec.document.components.schemas.Transaction.properties.amount_usd["x-spendkit-money"] =
      "usd-millis";
    expect(() => operationsTable(spec, moneyUnits)).toThrow(
      /money-unit-added\.yaml: unknown x-spendkit-money unit \(known: usd, usd-cents, usd-cents-object, usd-cent-millionths, decimal, cents-decimal; .*\n {2}\/components\/schemas\/Transaction\/properties\/amount_usd: "usd-millis"/,
    );
  });

  it("are checked everywhere in a spec, not only in responses", () => {
    const document = fixture("base");
    document.components.schemas.Kind["x-spendkit-money"] = "eur";
    expect(() => checkMoneyUnits("base.yaml", document, moneyUnits)).toThrow(
      /\/components\/schemas\/Kind: "eur"/,
    );
    expect(() => checkMoneyUnits("base.yaml", fixture("base"), moneyUnits)).not.toThrow();
  });
});
