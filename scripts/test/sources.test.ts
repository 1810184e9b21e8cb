// The provider docs in specs/sources are the ground truth for field names and types: every JSON
// example they give must validate against the matching schema of our spec.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const source = (file: string) => readFileSync(join(ROOT, "specs/sources", file), "utf8");
const spec = (name: string) => parse(readFileSync(join(ROOT, "specs", `${name}.yaml`), "utf8"));

/** Every top-level JSON object in a text, in order: each `{` at a line start that parses. */
function jsonBlocks(text: string): any[] {
  const blocks: any[] = [];
  const lines = text.split("\n");
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start]!.startsWith("{")) continue;
    for (let end = start; end < lines.length; end++) {
      if (!lines[end]!.startsWith("}")) continue;
      try {
        blocks.push(JSON.parse(lines.slice(start, end + 1).join("\n")));
        start = end;
        break;
      } catch {}
    }
  }
  return blocks;
}

/** The JSON body of a curl `-d '…'` in a text. */
function curlBody(text: string): unknown {
  return JSON.parse(/-d '(\{[\s\S]*?\})'/.exec(text)![1]!);
}

function validatorFor(name: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // CommonJS: its types give the plugin as `default` of the module (where Node puts it too).
  formats.default(ajv);
  ajv.addSchema({ ...spec(name), $id: name });
  const pointer = (path: string, method: string, where: string) => {
    const escaped = path.replaceAll("~", "~0").replaceAll("/", "~1");
    return `${name}#/paths/${escaped}/${method}/${where}/content/application~1json/schema`;
  };
  return {
    response: (path: string, method: string) =>
      ajv.compile({ $ref: pointer(path, method, "responses/200") }),
    request: (path: string, method: string) =>
      ajv.compile({ $ref: pointer(path, method, "requestBody") }),
  };
}

interface Case {
  source: string;
  spec: string;
  path: string;
  method: string;
  responses: (text: string) => unknown[];
  requests?: (text: string) => unknown[];
}

const cases: Case[] = [
  {
    source: "wavespeed-billings-search.txt",
    spec: "wavespeed",
    path: "/api/v3/billings/search",
    method: "post",
    responses: (text) => jsonBlocks(text),
    requests: (text) => [curlBody(text)],
  },
  {
    source: "wavespeed-account-billings.txt",
    spec: "wavespeed",
    path: "/api/v3/account/billings",
    method: "get",
    responses: (text) => jsonBlocks(text),
  },
  {
    source: "bytespike-wallet-transactions.txt",
    spec: "bytespike",
    path: "/api/v1/me/billing/transactions",
    method: "get",
    responses: (text) => jsonBlocks(text),
  },
];

describe.each(cases)("$source", (c) => {
  const text = source(c.source);
  const validate = validatorFor(c.spec);

  it(`its response example fits ${c.spec}.yaml ${c.method.toUpperCase()} ${c.path}`, () => {
    const examples = c.responses(text);
    expect(examples.length).toBe(1);
    const check = validate.response(c.path, c.method);
    for (const example of examples) expect(check(example), JSON.stringify(check.errors)).toBe(true);
  });

  // Only some pages give a request example; the others get no such test rather than a skipped one.
  const { requests } = c;
  if (requests) {
    it("its request example fits the request body schema", () => {
      const check = validate.request(c.path, c.method);
      for (const example of requests(text))
        expect(check(example), JSON.stringify(check.errors)).toBe(true);
    });
  }

  it("is the spec's own example, verbatim", () => {
    const op = spec(c.spec).paths[c.path][c.method];
    expect(op.responses["200"].content["application/json"].example).toEqual(c.responses(text)[0]);
  });
});

describe("the validation can fail", () => {
  it("rejects a seed-shaped row whose field has the wrong type", () => {
    const [page] = jsonBlocks(source("bytespike-wallet-transactions.txt"));
    page.items[0].amount_usd = "50.00";
    const check = validatorFor("bytespike").response("/api/v1/me/billing/transactions", "get");
    expect(check(page)).toBe(false);
  });
});
