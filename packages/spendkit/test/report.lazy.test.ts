// The renderer is for spendkit report only: importing spendkit (the ledger), or running any
// other command, must not load @spendkit/report or Vega.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dist = (file: string) => readFileSync(new URL(`../dist/${file}`, import.meta.url), "utf8");
const RENDERER = /@spendkit\/report|["']vega(?:-lite)?["']/;

describe("the built package", () => {
  it.each(["index.js", "index.cjs"])("%s (the library) never mentions the renderer", (file) => {
    expect(dist(file)).not.toMatch(RENDERER);
  });

  it("cli.js keeps the renderer external and loads it with a dynamic import only", () => {
    const cli = dist("cli.js");
    expect(cli).not.toMatch(/^import[^;]*from\s*["']@spendkit\/report["']/m);
    expect(cli).toContain('import("@spendkit/report")');
    // Bundled in, the renderer would bring Vega's imports along.
    expect(cli).not.toMatch(/from\s*["']vega(?:-lite)?["']/);
  });
});
