// Open answer enums keep their known values as suggestions: `"A" | "B" | (string & {})`, not a
// union TypeScript widens to `string`. Request enums stay closed.
import { describe, expect, it } from "vitest";
import { schemaFile } from "../src/generate/files.js";
import { loadSpecs, REPO_ROOT } from "../src/spec/load.js";

describe("open enums in the generated types", () => {
  it("write the free member of an open string enum as string & {}", async () => {
    const [xai] = loadSpecs(REPO_ROOT, "xai");
    const types = await schemaFile(xai!);
    const status = /InvoiceStatus: ([^;]*);/.exec(types)?.[1];
    expect(status?.replace(/\s+/g, " ")).toBe(
      '("INVALID" | "PENDING" | "PAID" | "WILL_NEVER_BE_CHARGED" | "FAILED") | (string & {}) | number',
    );
    // Nothing is left widened: no open enum keeps a bare `| string` member.
    expect(types).not.toMatch(/\)\s*\|\s*string\s*[|;]/);
  });

  it("leave closed enums (a request's) as they are", async () => {
    const [bytespike] = loadSpecs(REPO_ROOT, "bytespike");
    const types = await schemaFile(bytespike!);
    expect(types).toContain(
      '"topup" | "refund" | "admin_credit" | "admin_debit" | "subscription_renew"',
    );
    expect(types).not.toContain("string & {}");
  });
});
