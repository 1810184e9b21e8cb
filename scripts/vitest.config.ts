import { defineConfig } from "vitest/config";

// The repository-level tests: the spec tooling's commands, the specs against their sources,
// headless Chromium on the API reference, and the packed packages in a fresh project and on
// Bun, Deno and workerd.
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
