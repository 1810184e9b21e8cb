import type { FieldSchema } from "@spendkit/core";
import { describe, expect, it } from "vitest";
import { hoistSchemas } from "../src/generate/hoist.js";

const error: FieldSchema = {
  type: "object",
  properties: { type: { type: "string" }, message: { type: "string" } },
  required: ["type", "message"],
};
const body: FieldSchema = { type: "object", properties: { error }, required: ["error"] };
const row: FieldSchema = {
  type: "object",
  properties: { id: { type: "integer" }, created_at: { type: "string", format: "date-time" } },
};
const table: Record<string, Record<string, FieldSchema>> = {
  listRows: {
    "200": { type: "object", properties: { items: { type: "array", items: row } } },
    "400": body,
    "401": body,
  },
  getRow: { "200": row, "404": body },
};

/** The value the written TypeScript evaluates to (its type annotations dropped). */
function evaluate({ constants, expression }: ReturnType<typeof hoistSchemas>): unknown {
  const js = constants.map((line) => line.replace(/^const (\w+): FieldSchema =/, "const $1 ="));
  return new Function(`${js.join("\n")}\nreturn ${expression};`)();
}

describe("hoistSchemas", () => {
  it("writes the same table", () => {
    expect(evaluate(hoistSchemas(table))).toEqual(table);
  });

  it("names each repeated sizeable schema once, after where it first appears, before its use", () => {
    const { constants, expression } = hoistSchemas(table);
    expect(constants.map((line) => /^const (\w+)/.exec(line)?.[1])).toEqual([
      "itemsItemSchema",
      "errorSchema",
      "status400Schema",
    ]);
    expect(constants[2]).toContain('"error": errorSchema');
    expect(expression.match(/status400Schema/g)).toHaveLength(3);
    expect(expression).toContain('"items": itemsItemSchema');
    expect(expression).toContain('"200": itemsItemSchema');
  });

  it("leaves a schema that occurs once, or a short one, where it is", () => {
    const { constants, expression } = hoistSchemas({
      a: { "200": { type: "string" }, "201": { type: "string" }, "400": error },
    });
    expect(constants).toEqual([]);
    expect(expression).toContain('"200": {"type": "string"}');
  });

  it("makes names unique", () => {
    const other: FieldSchema = {
      type: "object",
      properties: { code: { type: "integer" } },
      required: ["code"],
    };
    const { constants } = hoistSchemas({
      a: { "400": error, "401": error },
      b: { "400": other, "401": other },
    });
    expect(constants.map((line) => /^const (\w+)/.exec(line)?.[1])).toEqual([
      "status400Schema",
      "status400Schema2",
    ]);
  });
});
