// specs/openai.yaml is written from OpenAI's official OpenAPI description, with its own schemas
// where the official ones cannot be generated from (the results' discriminator without mapping).
// Every response example of that description, for the operations the spec includes, must still
// validate against the spec: the fixture holds them, extracted at the recorded commit with the
// JSON pointer of each (the 2 MB description itself is not vendored).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { referenceExample } from "./reference-example.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const spec = parse(readFileSync(join(ROOT, "specs/openai.yaml"), "utf8"));
const source = readFileSync(join(ROOT, "specs/sources/openai-openapi.txt"), "utf8");

interface OfficialExample {
  /** Where the example's JSON text sits in the official openapi.yaml. */
  pointer: string;
  /** The official operationId, for an operation's response example. */
  operationId?: string;
  /** The schema name (the same in both documents), for a result object's example. */
  schema?: string;
  example: any;
}
const fixture: {
  repository: string;
  commit: string;
  path: string;
  examples: OfficialExample[];
} = JSON.parse(
  readFileSync(join(ROOT, "scripts/test/fixtures/openai-official-examples.json"), "utf8"),
);

const ajv = new Ajv2020({ strict: false, allErrors: true });
formats.default(ajv);
ajv.addSchema({ ...spec, $id: "openai" });
const pointerPart = (part: string) => part.replaceAll("~", "~0").replaceAll("/", "~1");

/** Our operations by the official operationId their description names. */
const operations = Object.entries<any>(spec.paths).map(([path, item]) => ({
  path,
  operation: item.get,
  official: /Official operationId: ([a-z-]+)\./.exec(item.get.description)?.[1],
}));

const answerOf = (path: string) =>
  ajv.compile({
    $ref: `openai#/paths/${pointerPart(path)}/get/responses/200/content/application~1json/schema`,
  });
const schemaNamed = (name: string) => ajv.compile({ $ref: `openai#/components/schemas/${name}` });

describe("the fixture of official examples", () => {
  it("comes from the commit and file the source records", () => {
    expect(source).toContain(`Repository: ${fixture.repository}\n`);
    expect(source).toContain(`Commit: ${fixture.commit}\n`);
    expect(source).toContain(`Paths: ${fixture.path}\n`);
  });

  it("has the response example of every operation of the spec, and of no other", () => {
    for (const { operation, official } of operations)
      expect(official, `${operation.operationId} names its official operationId`).toBeTruthy();
    const covered = fixture.examples.flatMap((e) => (e.operationId ? [e.operationId] : []));
    expect(covered.sort()).toEqual(operations.map((o) => o.official).sort());
  });
});

describe.each(operations)("$operation.operationId ($official)", ({ path, operation, official }) => {
  const { example } = fixture.examples.find((e) => e.operationId === official)!;

  it("takes the official response example", () => {
    const check = answerOf(path);
    expect(check(example), JSON.stringify(check.errors)).toBe(true);
  });

  it("gives the official response example as its own, verbatim", () => {
    expect(referenceExample(operation.responses["200"].content["application/json"])).toEqual(
      example,
    );
  });
});

describe.each(fixture.examples.filter((e) => e.schema))("official $schema example", (e) => {
  it("fits the schema of the same name", () => {
    const check = schemaNamed(e.schema!);
    expect(check(e.example), JSON.stringify(check.errors)).toBe(true);
  });
});

describe("the schemas are the endpoints' own, not the official 11-way oneOf", () => {
  const costs = () =>
    structuredClone(fixture.examples.find((e) => e.operationId === "usage-costs")!.example);

  it("reject a result of another endpoint in a costs bucket", () => {
    const page = costs();
    page.data[0].results[0] = fixture.examples.find(
      (e) => e.schema === "UsageCompletionsResult",
    )!.example;
    expect(answerOf("/v1/organization/costs")(page)).toBe(false);
  });

  it("take amount.value as a number or a decimal string (seen live), nothing else", () => {
    const check = answerOf("/v1/organization/costs");
    const page = costs();
    page.data[0].results[0].amount.value = "12.50";
    expect(check(page)).toBe(true);
    for (const wrong of ["12,50", "", "1e3", null]) {
      page.data[0].results[0].amount.value = wrong;
      expect(check(page), String(wrong)).toBe(false);
    }
  });

  it("keep quantity_unit open: a unit they do not list is accepted", () => {
    const page = costs();
    page.data[0].results[0].quantity_unit = "petabyte_fortnights";
    expect(answerOf("/v1/organization/costs")(page)).toBe(true);
  });
});
