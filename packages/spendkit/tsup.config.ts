import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library's API, re-exported from @spendkit/ledger: ESM + CJS with types.
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: false, // the build script empties dist/ first (two configs, one folder)
    target: "node20",
    platform: "node",
  },
  {
    // The CLI: one ESM file with a shebang. @spendkit/mock (a private workspace package used by
    // `spendkit demo` only) stays a runtime import, so a published install works without it.
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    target: "node20",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
    external: ["@spendkit/mock"],
  },
]);
