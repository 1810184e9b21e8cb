import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProviderName } from "@spendkit/ledger";
import { demoService } from "./demo-service.js";
import type { CliIO } from "./io.js";
import { reconcileCommand } from "./reconcile.js";
import { reportCommand } from "./report.js";
import { statusCommand } from "./status.js";
import { syncCommand } from "./sync.js";

/** The demo's key variable: the mocks accept any key. */
const DEMO_KEY_ENV = "SPENDKIT_DEMO_KEY";

/**
 * The store part of `spendkit demo`: one account per mock in a config file, `spendkit sync`
 * into a throwaway embedded store, then `status`, `reconcile` and `report --out reportPath` on
 * it, then `spendkit serve` briefly (demo-service.ts); the store is removed after. Resolves
 * with the worst of sync's, report's and the service's exit codes
 * (reconcile's breaks are expected: the mocks answer with fixed examples whose balances need
 * not add up).
 */
export async function demoStore(
  io: CliIO,
  urls: Record<ProviderName, string>,
  reportPath: string,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "spendkit-demo-store-"));
  try {
    const config = join(dir, "spendkit.config.json");
    const accounts = Object.entries(urls).map(([provider, baseUrl]) => ({
      provider,
      name: `${provider}-demo`,
      apiKeyEnv: DEMO_KEY_ENV,
      baseUrl,
    }));
    writeFileSync(config, `${JSON.stringify({ accounts }, null, 2)}\n`);
    const store = join(dir, "store");
    const demoIo: CliIO = { ...io, env: { ...io.env, [DEMO_KEY_ENV]: "sk-demo-not-a-secret" } };
    const args = ["--db", store, "--config", config];
    io.stdout.write(`\nStore: spendkit sync into a throwaway embedded store (${store})\n`);
    const synced = await syncCommand(args, demoIo);
    io.stdout.write("\nspendkit status\n");
    await statusCommand(["--db", store], demoIo);
    io.stdout.write(
      "\nspendkit reconcile (the mocks answer fixed examples: their balances need not add up)\n",
    );
    await reconcileCommand(args, demoIo);
    io.stdout.write("\nspendkit report\n");
    const reported = await reportCommand(["--db", store, "--out", reportPath], demoIo);
    const served = await demoService(demoIo, { config, store, accounts }, (json) =>
      writeFileSync(config, `${JSON.stringify(json, null, 2)}\n`),
    );
    return Math.max(synced, reported, served);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
