import { defineConfig } from "vitest/config";

// The adversarial suite starts fixture servers: generous timeouts, and no assertion on time.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
