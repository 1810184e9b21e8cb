import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../src/spec/load.js";
import { diffSpecs } from "../src/spec-diff/compare.js";
import { LEVELS, type Level, type SpecDiff } from "../src/spec-diff/levels.js";
import { FIXTURES, fixture } from "./support.js";

const base = fixture("base");

// Each fixture is a new version of base.yaml: the bump it calls for, and the changes it must name.
const CASES: Record<string, [Level, RegExp[]]> = {
  "removed-operation": ["major", [/getBalance: operation removed \(GET \/v1\/balance\)/]],
  "removed-enum-value": [
    "major",
    [
      /input `kind`: enum value "refund" removed/,
      /response\.items\[\]\.kind: enum value "refund" removed/,
    ],
  ],
  "newly-required-field": ["major", [/topUp: input field `note` is now required/]],
  "allof-required-body": ["major", [/topUp: input field `note` is now required/]],
  "narrowed-constraint": ["major", [/input `page_size`: maximum lowered from 200 to 100/]],
  "removed-response-field": ["major", [/response\.items\[\]\.note: removed/]],
  "nullable-response-field": ["major", [/response\.available_usd: .*may now be null/]],
  "added-operation": ["minor", [/getUsage: operation added \(GET \/v1\/usage\)/]],
  "added-optional-field": ["minor", [/listTransactions: new optional input field `since`/]],
  "added-enum-value": ["minor", [/enum value "bonus" added/]],
  "added-response-field": ["minor", [/response\.items\[\]\.currency: new field/]],
  "widened-constraint": ["minor", [/maximum raised from 200 to 500/]],
  "money-unit-added": [
    "minor",
    [/listTransactions: money unit of \/items\/\*\/amount_usd: none → usd/],
  ],
  "description-only": [
    "patch",
    [
      /GET \/v1\/transactions: description changed/,
      /GET \/v1\/balance: summary changed/,
      /example changed/,
      /components\.schemas\.Kind: description changed/,
    ],
  ],
  identical: ["none", []],
};

const lines = (diff: SpecDiff) => diff.changes.map((c) => `${c.level} ${c.subject}: ${c.message}`);

describe("spec-diff classifies each kind of change", () => {
  it("has a case for every fixture", () => {
    const fixtures = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".yaml") && f !== "base.yaml")
      .map((f) => f.replace(/\.yaml$/, ""));
    expect(fixtures.sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES).map(([name, [level, expected]]) => [name, level, expected]))(
    "%s → %s",
    (name, level, expected) => {
      const diff = diffSpecs(base, fixture(name as string));
      expect(diff.level, lines(diff).join("\n")).toBe(level);
      for (const pattern of expected as RegExp[]) {
        expect(
          lines(diff).some((line) => pattern.test(line)),
          `${pattern}\n${lines(diff).join("\n")}`,
        ).toBe(true);
      }
      // Nothing in the change is classified above the fixture's own level.
      for (const change of diff.changes) {
        expect(LEVELS.indexOf(change.level)).toBeLessThanOrEqual(LEVELS.indexOf(level as Level));
      }
      if (level === "none") expect(diff.changes).toEqual([]);
    },
  );

  it("reads the reverse of an addition as a removal", () => {
    expect(diffSpecs(fixture("added-operation"), base).level).toBe("major");
    expect(diffSpecs(fixture("added-enum-value"), base).level).toBe("major");
    expect(diffSpecs(fixture("narrowed-constraint"), base).level).toBe("minor");
  });

  it("treats a new spec as a minor release and a deleted one as a major", () => {
    expect(diffSpecs(null, base).level).toBe("minor");
    expect(diffSpecs(base, null).level).toBe("major");
  });

  it("does not mistake a property named like a documentation keyword for documentation", () => {
    const next = structuredClone(base);
    next.components.schemas.Transaction.properties.description = { type: "string" };
    expect(diffSpecs(base, next).level).toBe("minor");
    const back = diffSpecs(next, base);
    expect(back.level).toBe("major");
    expect(lines(back)).toContain("major listTransactions: response.items[].description: removed");
  });

  it.each(readdirSync(join(REPO_ROOT, "specs")).filter((f) => f.endsWith(".yaml")))(
    "finds no change between specs/%s and itself",
    (file) => {
      const doc = parse(readFileSync(join(REPO_ROOT, "specs", file), "utf8"));
      expect(diffSpecs(doc, structuredClone(doc))).toEqual({ level: "none", changes: [] });
    },
  );
});
