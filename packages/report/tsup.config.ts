import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "node20",
  platform: "node",
  // vega and vega-lite stay imports of the user's copy, loaded by renderReport only.
  external: ["vega", "vega-lite"],
});
