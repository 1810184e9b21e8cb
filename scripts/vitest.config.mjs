import { defineConfig } from "vitest/config";

// Repository-level tests written as .mjs (scripts/vitest.ts.config.mjs runs the TypeScript ones).
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["test/**/*.test.mjs"],
    testTimeout: 60_000,
  },
});
