// The store is for the store commands only: importing spendkit (the ledger), or running the
// other commands, must not load @spendkit/store or a database engine.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dist = (file: string) => readFileSync(new URL(`../dist/${file}`, import.meta.url), "utf8");
const ENGINES = /@spendkit\/store|@electric-sql\/pglite|["']pg["']/;

describe("the built package", () => {
  it.each(["index.js", "index.cjs"])(
    "%s (the library) never mentions the store or an engine",
    (file) => {
      expect(dist(file)).not.toMatch(ENGINES);
    },
  );

  it("cli.js keeps the store external and loads it with a dynamic import only", () => {
    const cli = dist("cli.js");
    expect(cli).not.toMatch(/^import[^;]*from\s*["']@spendkit\/store["']/m);
    expect(cli).toContain('import("@spendkit/store")');
    // Bundled in, the store would bring its engines' imports along.
    expect(cli).not.toMatch(/@electric-sql\/pglite|from\s*["']pg["']/);
  });
});
