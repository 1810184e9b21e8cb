// The line between the library and the application: @spendkit/ledger depends on the clients and
// core only, and its build imports nothing else — no database driver, no chart engine, no CLI —
// so that `npm install @spendkit/ledger` and `ledger()` bring none of the spendkit application.
import { readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { describe, expect, it } from "vitest";
import { providerNames } from "../src/index.js";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const allowed = new Set(["@spendkit/core", ...providerNames.map((name) => `@spendkit/${name}`)]);

describe("@spendkit/ledger stays a library", () => {
  it("depends on @spendkit/core and the provider clients, nothing else", () => {
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...allowed].sort());
    expect(manifest.bin).toBeUndefined();
  });

  it.each(["index.js", "index.cjs"])(
    "its built %s imports only those and Node built-ins",
    (file) => {
      const code = readFileSync(new URL(`../dist/${file}`, import.meta.url), "utf8");
      const specifiers = [
        ...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g),
      ].map((match) => match[1]!);
      expect(specifiers.length).toBeGreaterThan(0);
      const foreign = specifiers.filter(
        (specifier) => !isBuiltin(specifier) && !allowed.has(specifier),
      );
      expect(foreign).toEqual([]);
    },
  );
});
