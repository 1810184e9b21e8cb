// The provider docs in specs/sources are the ground truth for field names and types: every JSON
// example they give must validate against the matching schema of our spec.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { referenceExample } from "./reference-example.js";

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
  /** How many response examples the page gives (default 1); all of them must fit. */
  examples?: number;
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
  // Anthropic's reference pages give the answer twice: under the request sample and again
  // under "Returns Examples".
  {
    source: "anthropic-cost-report.txt",
    spec: "anthropic",
    path: "/v1/organizations/cost_report",
    method: "get",
    responses: (text) => jsonBlocks(text),
    examples: 2,
  },
  {
    source: "anthropic-usage-messages.txt",
    spec: "anthropic",
    path: "/v1/organizations/usage_report/messages",
    method: "get",
    responses: (text) => jsonBlocks(text),
    examples: 2,
  },
];

describe.each(cases)("$source", (c) => {
  const text = source(c.source);
  const validate = validatorFor(c.spec);

  it(`its response examples fit ${c.spec}.yaml ${c.method.toUpperCase()} ${c.path}`, () => {
    const examples = c.responses(text);
    expect(examples.length).toBe(c.examples ?? 1);
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
    expect(referenceExample(op.responses["200"].content["application/json"])).toEqual(
      c.responses(text)[0],
    );
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

/** Every example written in a spec: request bodies, answers and parameters, with its schema's pointer. */
interface Example {
  where: string;
  example: unknown;
  key?: string;
  bare?: boolean;
}
type Part = string | number;

function specExamples(name: string): Example[] {
  const document = spec(name);
  const pointerPart = (part: Part) => String(part).replaceAll("~", "~0").replaceAll("/", "~1");
  const at = (...parts: Part[]) => `${name}#/${parts.map(pointerPart).join("/")}`;
  const found: Example[] = [];
  const content = (node: any, ...where: Part[]) => {
    for (const [type, media] of Object.entries<any>(node?.content ?? {})) {
      if (media.example !== undefined && media.schema)
        found.push({ where: at(...where, "content", type), example: media.example });
      for (const [key, named] of Object.entries<any>(media.examples ?? {}))
        found.push({ where: at(...where, "content", type), example: named.value, key });
    }
  };
  const parameters = (list: any[] | undefined, ...where: Part[]) => {
    for (const [index, parameter] of (list ?? []).entries()) {
      if (parameter.$ref || parameter.example === undefined) continue;
      found.push({ where: at(...where, "parameters", index), example: parameter.example });
    }
  };
  for (const [path, item] of Object.entries<any>(document.paths ?? {})) {
    parameters(item.parameters, "paths", path);
    for (const [method, operation] of Object.entries<any>(item)) {
      if (method === "parameters" || typeof operation !== "object") continue;
      parameters(operation.parameters, "paths", path, method);
      if (operation.requestBody && !operation.requestBody.$ref)
        content(operation.requestBody, "paths", path, method, "requestBody");
      for (const [status, response] of Object.entries<any>(operation.responses ?? {}))
        if (!response.$ref) content(response, "paths", path, method, "responses", status);
    }
  }
  for (const [key, response] of Object.entries<any>(document.components?.responses ?? {}))
    content(response, "components", "responses", key);
  for (const [key, parameter] of Object.entries<any>(document.components?.parameters ?? {}))
    if (parameter.example !== undefined)
      found.push({ where: at("components", "parameters", key), example: parameter.example });
  // `examples` of a schema itself (JSON Schema's keyword), wherever in the components it sits
  const inSchema = (node: any, parts: Part[]) => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node.examples) && (node.type || node.anyOf || node.oneOf || node.$ref))
      for (const example of node.examples) found.push({ where: at(...parts), example, bare: true });
    for (const [key, child] of Object.entries(node)) inSchema(child, [...parts, key]);
  };
  inSchema(document.components?.schemas, ["components", "schemas"]);
  return found;
}

function specValidator(name: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  ajv.addSchema({ ...spec(name), $id: name });
  return (where: string, bare = false) => ajv.compile({ $ref: bare ? where : `${where}/schema` });
}

const SPECS = ["wavespeed", "bytespike", "xai", "openai", "anthropic", "openrouter", "deepseek"];

describe.each(SPECS)("the examples written in %s.yaml", (name) => {
  const examples = specExamples(name);
  const compile = specValidator(name);

  it("are there: every request body and every answer with content has one (the conventions)", () => {
    const document = spec(name);
    const contents: any[] = [];
    for (const item of Object.values<any>(document.paths))
      for (const operation of Object.values<any>(item))
        if (typeof operation === "object" && !Array.isArray(operation)) {
          if (operation.requestBody?.content) contents.push(operation.requestBody.content);
          for (const response of Object.values<any>(operation.responses ?? {}))
            if (response.content) contents.push(response.content);
        }
    for (const response of Object.values<any>(document.components?.responses ?? {}))
      if (response.content) contents.push(response.content);
    const bare = contents
      .flatMap((content) => Object.values<any>(content))
      .filter((m) => !("example" in m || m.examples));
    expect(bare).toEqual([]);
    expect(examples.filter((e) => e.where.includes("/responses/")).length).toBeGreaterThan(3);
  });

  it.each(
    examples.map((e): [string, Example] => [
      e.where.split("#")[1]!.replaceAll("~1", "/").replaceAll("~0", "~"),
      e,
    ]),
  )("%s fits its schema", (_, { where, example, bare }) => {
    const check = compile(where, bare);
    expect(check(example), JSON.stringify(check.errors)).toBe(true);
  });
});

describe("the xAI schemas are proto3 JSON: open answers, closed requests", () => {
  const compile = specValidator("xai");
  const answer = (path: string, method = "get") =>
    compile(
      `xai#/paths/${path.replaceAll("/", "~1")}/${method}/responses/200/content/application~1json`,
    );
  const request = (path: string) =>
    compile(`xai#/paths/${path.replaceAll("/", "~1")}/post/requestBody/content/application~1json`);
  const op = (path: string, method = "get") => spec("xai").paths[path][method];
  const exampleOf = (path: string, method = "get") =>
    structuredClone(op(path, method).responses["200"].content["application/json"].example);

  const invoices = "/v1/billing/teams/{team_id}/invoices";
  const methods = "/v1/billing/teams/{team_id}/payment-method";
  const balance = "/v1/billing/teams/{team_id}/prepaid/balance";
  const usage = "/v1/billing/teams/{team_id}/usage";

  it("takes enum values it does not list in an answer, by name or by number", () => {
    const page = exampleOf(invoices);
    page.invoices[0].invoiceStatus = "DISPUTED";
    page.invoices[1].invoiceStatus = 7;
    expect(answer(invoices)(page)).toBe(true);
    const changes = exampleOf(balance);
    changes.changes[0].changeOrigin = "GIFT_CARD";
    changes.changes[0].topupStatus = "ON_HOLD";
    expect(answer(balance)(changes)).toBe(true);
  });

  it("takes null and absent messages, an unset oneof, and NaN/Infinity doubles", () => {
    expect(answer(invoices)({ invoices: [{ invoiceId: "x", createTime: null }] })).toBe(true);
    expect(answer(invoices)({})).toBe(true);
    expect(answer(balance)({ changes: [{ amount: null, createTime: null }], total: null })).toBe(
      true,
    );
    const series = exampleOf(usage, "post");
    series.timeSeries[0].dataPoints[0].values = ["NaN", "Infinity", "-Infinity", 1.5];
    expect(answer(usage, "post")(series)).toBe(true);
  });

  it("rejects what proto3 JSON never writes", () => {
    // a repeated field is never null, two flavours of a oneof never come together
    expect(answer(invoices)({ invoices: null })).toBe(false);
    expect(answer(invoices)({ invoices: [{ monthly: {}, prepaid: {} }] })).toBe(false);
    // a message is an object or null, never a string; an int64 is a string of digits
    const page = exampleOf(methods);
    page.paymentMethods[0].cardDetails = "visa";
    expect(answer(methods)(page)).toBe(false);
    expect(answer(balance)({ total: { val: 12 } })).toBe(false);
    const series = exampleOf(usage, "post");
    series.timeSeries[0].dataPoints[0].values = ["nan"];
    expect(answer(usage, "post")(series)).toBe(false);
  });

  it("keeps the enums of a request closed", () => {
    const body = structuredClone(op(usage, "post").requestBody.content["application/json"].example);
    expect(request(usage)(body)).toBe(true);
    body.analyticsRequest.timeUnit = "TIME_UNIT_YEAR";
    expect(request(usage)(body)).toBe(false);
  });
});

describe("the Anthropic schemas: cents as decimal strings, open answers, closed requests", () => {
  const compile = specValidator("anthropic");
  const costs = "/v1/organizations/cost_report";
  const usage = "/v1/organizations/usage_report/messages";
  const answer = (path: string) =>
    compile(
      `anthropic#/paths/${path.replaceAll("/", "~1")}/get/responses/200/content/application~1json`,
    );
  const page = (file: string) => jsonBlocks(source(file))[0];

  it("takes an amount only as a decimal string, fractions of a cent included", () => {
    const report = page("anthropic-cost-report.txt");
    for (const amount of ["0", "12", "-3.5", "123.78912"]) {
      report.data[0].results[0].amount = amount;
      expect(answer(costs)(report), amount).toBe(true);
    }
    for (const amount of [123.78912, "1.2e3", "12,50", "", "$1.23"]) {
      report.data[0].results[0].amount = amount;
      expect(answer(costs)(report), String(amount)).toBe(false);
    }
  });

  it("takes enum values it does not list in an answer, and null where the docs say so", () => {
    const report = page("anthropic-cost-report.txt");
    Object.assign(report.data[0].results[0], {
      cost_type: "tool_search",
      service_tier: "priority",
      token_type: "cache_creation.ephemeral_24h_input_tokens",
      context_window: "1M-2M",
      inference_geo: "eu",
    });
    expect(answer(costs)(report)).toBe(true);
    const grouped = page("anthropic-usage-messages.txt");
    Object.assign(grouped.data[0].results[0], { service_tier: "scale", model: null });
    grouped.data.push({
      starting_at: "2025-08-02T00:00:00Z",
      ending_at: "2025-08-03T00:00:00Z",
      results: [],
    });
    expect(answer(usage)(grouped)).toBe(true);
  });

  it("rejects a result that leaves out a field the reference lists, or a count that is not one", () => {
    const report = page("anthropic-cost-report.txt");
    delete report.data[0].results[0].workspace_id;
    expect(answer(costs)(report)).toBe(false);
    const grouped = page("anthropic-usage-messages.txt");
    grouped.data[0].results[0].output_tokens = "500";
    expect(answer(usage)(grouped)).toBe(false);
  });

  it("keeps the enums of a request closed and the version header constant", () => {
    const parameters = spec("anthropic").paths[usage].get.parameters;
    const groupBy = parameters.find((p: any) => p.name === "group_by[]");
    const check = new Ajv2020({ strict: false }).compile(groupBy.schema);
    expect(check(["model", "speed"])).toBe(true);
    expect(check(["region"])).toBe(false);
    const version = spec("anthropic").components.parameters.AnthropicVersion;
    expect(version).toMatchObject({ in: "header", required: true });
    expect(new Ajv2020().compile(version.schema)("2024-01-01")).toBe(false);
  });
});

describe("the DeepSeek balance: decimal strings per currency", () => {
  const media =
    spec("deepseek").paths["/user/balance"].get.responses["200"].content["application/json"];
  const check = specValidator("deepseek")(
    "deepseek#/paths/~1user~1balance/get/responses/200/content/application~1json",
  );
  const withInfo = (info: Record<string, unknown>) => {
    const balance = structuredClone(referenceExample(media)) as any;
    Object.assign(balance.balance_infos[0], info);
    return balance;
  };

  it("takes a currency it does not list (the adapter checks ISO 4217) and entries with fields left out", () => {
    expect(check(withInfo({ currency: "EUR" }))).toBe(true);
    expect(check({ is_available: false, balance_infos: [{ currency: "USD" }] })).toBe(true);
  });

  it("rejects an amount that is not a plain decimal string: an exponent, a number, a sign, spaces", () => {
    for (const amount of ["1e3", 110, "+1.00", " 1.00", "1.", ".5", "1,00"])
      expect(check(withInfo({ total_balance: amount })), JSON.stringify(amount)).toBe(false);
    expect(check(withInfo({ total_balance: "-0.50" }))).toBe(true);
  });

  it("requires the top-level fields", () => {
    expect(check({ balance_infos: [] })).toBe(false);
    expect(check({ is_available: true })).toBe(false);
  });
});

describe("the OpenRouter answers: dollars as numbers", () => {
  const compile = specValidator("openrouter");
  const answer = (path: string) =>
    compile(
      `openrouter#/paths/${path.replaceAll("/", "~1")}/get/responses/200/content/application~1json`,
    );
  const exampleOf = (path: string) =>
    structuredClone(
      spec("openrouter").paths[path].get.responses["200"].content["application/json"].example,
    );

  it("rejects credits given as strings, and an activity row without its model or date", () => {
    expect(answer("/api/v1/credits")({ data: { total_credits: "100.5", total_usage: 0 } })).toBe(
      false,
    );
    for (const field of ["model", "date", "usage"]) {
      const page = exampleOf("/api/v1/activity");
      delete page.data[0][field];
      expect(answer("/api/v1/activity")(page), field).toBe(false);
    }
  });

  it("takes a key that never resets or expires, a reset it does not list, and fields it does not know", () => {
    const key = exampleOf("/api/v1/key");
    Object.assign(key.data, { limit: null, limit_remaining: null, limit_reset: null });
    delete key.data.expires_at;
    expect(answer("/api/v1/key")(key)).toBe(true);
    key.data.limit_reset = "yearly";
    key.data.free_model_daily_requests = { limit: 50 };
    expect(answer("/api/v1/key")(key)).toBe(true);
  });
});
