import { defineConfig } from "vitest/config";

// The repository tests written in TypeScript (scripts/vitest.config.mjs runs the .mjs ones):
// the spec tooling's commands, the specs against their sources, headless Chromium on the API
// reference, and the packed packages on Bun, Deno and workerd.
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
