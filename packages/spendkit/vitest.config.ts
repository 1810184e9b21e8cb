import { defineConfig } from "vitest/config";

// The CLI tests start Prism mocks and subprocesses: generous timeouts, and no assertion on time.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
