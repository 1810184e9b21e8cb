import { defineConfig } from "vitest/config";

// Repository-level tests: the generator and the invariants that span packages.
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["test/**/*.test.mjs", "test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
