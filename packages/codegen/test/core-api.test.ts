import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readCoreApi } from "../src/core-api.js";
import { CORE_DIR } from "./support.js";

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** A copy of core's source, to add to. */
function coreCopy(): string {
  scratch = mkdtempSync(join(tmpdir(), "spendkit-core-api-"));
  cpSync(join(CORE_DIR, "src"), join(scratch, "src"), { recursive: true });
  cpSync(join(CORE_DIR, "package.json"), join(scratch, "package.json"));
  return scratch;
}

const NEW_CLASS = `
/** A class core does not have: one added by a later change. */
export class ExampleAddedError extends ConnectionError {
  static override readonly kind: string = "ExampleAddedError";
  override name = "ExampleAddedError";
}
`;

describe("the error classes, read from @spendkit/core", () => {
  it("are the classes core exports that extend SpendkitError, and SpendkitError itself", () => {
    const { errorClasses } = readCoreApi(CORE_DIR);
    expect(errorClasses).toEqual(
      expect.arrayContaining(["SpendkitError", "ApiError", "InputError"]),
    );
    // Not an error class: core's other exports.
    expect(errorClasses).not.toContain("createClient");
    expect(errorClasses).not.toContain("ApiErrorDetails");
  });

  it("pick up a class added to core, through any depth of subclassing", () => {
    expect(readCoreApi(CORE_DIR).errorClasses).not.toContain("ExampleAddedError");
    const dir = coreCopy();
    appendFileSync(join(dir, "src/errors.ts"), NEW_CLASS);
    const index = join(dir, "src/index.ts");
    writeFileSync(
      index,
      readFileSync(index, "utf8").replace(
        "  ConnectionError,",
        "  ConnectionError,\n  ExampleAddedError,",
      ),
    );
    expect(readCoreApi(dir).errorClasses).toContain("ExampleAddedError");
  });

  it("fail clearly when core adds an error class its entry does not export", () => {
    const dir = coreCopy();
    appendFileSync(join(dir, "src/errors.ts"), NEW_CLASS);
    expect(() => readCoreApi(dir)).toThrow(
      /entry does not export these error classes.*ExampleAddedError \(.*errors\.ts\)/,
    );
  });
});
