// The generator's operations table and spec-diff read an operation's flat input through one
// function (model/input.ts). These tests hold them to it: what spec-diff says about input
// fields is exactly what changed between the two generated tables.
import { readdirSync } from "node:fs";
import type { OperationSpec } from "@spendkit/core";
import { describe, expect, it } from "vitest";
import { readCoreApi } from "../src/core-api.js";
import { operationsTable } from "../src/model/operations.js";
import { diffSpecs } from "../src/spec-diff/compare.js";
import { CORE_DIR, FIXTURES, fixture, fixtureSpec } from "./support.js";

const { moneyUnits } = readCoreApi(CORE_DIR);
const table = (name: string) => operationsTable(fixtureSpec(name), moneyUnits);

/** The input-field changes between two generated tables, worded as spec-diff words them. */
function tableChanges(
  before: Record<string, OperationSpec>,
  after: Record<string, OperationSpec>,
): string[] {
  const out: string[] = [];
  for (const [id, a] of Object.entries(before)) {
    const b = after[id];
    if (!b) continue;
    const required = (op: OperationSpec) => new Set(op.input.required ?? []);
    for (const name of new Set([...Object.keys(a.in), ...Object.keys(b.in)])) {
      if (!(name in b.in)) out.push(`${id}: input field \`${name}\` removed`);
      else if (!(name in a.in))
        out.push(
          `${id}: new ${required(b).has(name) ? "required" : "optional"} input field \`${name}\``,
        );
      else if (required(a).has(name) !== required(b).has(name))
        out.push(
          `${id}: input field \`${name}\` is now ${required(b).has(name) ? "required" : "optional"}`,
        );
    }
  }
  return out.sort();
}

const INPUT_FIELD = /input field `/;
const diffChanges = (oldName: string, newName: string) =>
  diffSpecs(fixture(oldName), fixture(newName))
    .changes.filter((c) => INPUT_FIELD.test(c.message))
    .map((c) => `${c.subject}: ${c.message}`)
    .sort();

const versions = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".yaml") && f !== "base.yaml")
  .map((f) => f.replace(/\.yaml$/, ""));

describe("the generator's flat input and spec-diff's are the same", () => {
  it("reads an allOf body as the generator does: its parts' fields, required ones united", () => {
    const topUp = table("allof-required-body").topUp!;
    expect(topUp.in).toEqual({ amount_usd: "body", note: "body" });
    expect(topUp.input.required).toEqual(["amount_usd", "note"]);
    expect(diffChanges("base", "allof-required-body")).toEqual([
      "topUp: input field `note` is now required",
    ]);
  });

  it.each(versions)("base → %s: spec-diff names exactly the tables' input changes", (name) => {
    expect(diffChanges("base", name)).toEqual(tableChanges(table("base"), table(name)));
    expect(diffChanges(name, "base")).toEqual(tableChanges(table(name), table("base")));
  });

  it("would notice a disagreement", () => {
    // The comparison is not vacuous: a field the tables gain is a change both must report.
    expect(tableChanges(table("base"), table("added-optional-field"))).toEqual([
      "listTransactions: new optional input field `since`",
    ]);
  });
});
