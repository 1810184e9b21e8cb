import { defineConfig } from "tsup";

// The library: ESM + CJS with types, for Node (it uses node: built-ins).
export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: false, // the build script empties dist/ first
  target: "node20",
  platform: "node",
});
