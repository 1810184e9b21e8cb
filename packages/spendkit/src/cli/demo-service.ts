import { timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createJsonLogger } from "@spendkit/core";
import { adapterOf, formatMicros, isProviderName, parseDecimal, printable } from "@spendkit/ledger";
import { signature } from "../alerts/webhook.js";
import { loadConfig } from "../config.js";
import type { CliIO } from "./io.js";
import { openService } from "./serve.js";
import { loadStore } from "./store.js";

const SECRET_ENV = "SPENDKIT_DEMO_WEBHOOK_SECRET";
const SECRET = "whsec-demo-not-a-secret";

/**
 * The service part of `spendkit demo`: `spendkit serve` on a free loopback port against the
 * demo's store, with a balance floor that one stored balance is under (demoFloor) and a
 * webhook to a receiver in this process that checks the signature. Prints a few metric lines
 * and the alert the receiver got, then stops both. Resolves with 1 when no signed alert arrived.
 */
export async function demoService(
  io: CliIO,
  files: { config: string; store: string; accounts: unknown[] },
  writeConfig: (config: object) => void,
): Promise<number> {
  const floor = await demoFloor(files.store);
  const receiver = await startReceiver();
  try {
    writeConfig({
      accounts: files.accounts,
      balances: floor ? [floor.rule] : [],
      webhooks: [{ name: "demo-receiver", url: receiver.url, secretEnv: SECRET_ENV }],
    });
    const serviceIo: CliIO = { ...io, env: { ...io.env, [SECRET_ENV]: SECRET } };
    const service = await openService(serviceIo, {
      config: loadConfig(serviceIo, files.config),
      db: files.store,
      host: "127.0.0.1",
      port: 0,
      intervalMs: 3_600_000,
      alerts: true,
      // The demo prints what matters itself; the service's JSON log would drown it.
      logger: createJsonLogger(() => {}, "error"),
    });
    try {
      await service.firstRun;
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      io.stdout.write(`\nspendkit serve (${service.url}): GET /metrics, a few lines\n`);
      // The floored account's balances (in each currency, never added), and spend per account.
      const lines = metrics.split("\n");
      const shown = [
        ...lines.filter((line) => floor && line.startsWith(`spendkit_balance{${floor.labels}`)),
        ...lines.filter((line) => line.startsWith("spendkit_spend_total{")).slice(0, 2),
      ];
      for (const line of shown) io.stdout.write(`  ${line}\n`);
    } finally {
      await service.stop();
    }
    const alert = receiver.received.find((r) => r.signed);
    if (!alert) {
      io.stdout.write("no alert reached the webhook receiver\n");
      return 1;
    }
    io.stdout.write(
      `\nOne alert delivered to a webhook on loopback (signature checked): ${printable(alert.message)}\n`,
    );
    return 0;
  } finally {
    await receiver.stop();
  }
}

/**
 * The demo's one rule, from what the sync stored, naming no provider: a floor 10.00 above the
 * first balance of an account that reports balances only (else of any account), so that it
 * fires, in that balance's currency.
 */
async function demoFloor(db: string) {
  const module = await loadStore();
  const store = await module.openStore(module.resolveLocation(db, {}, "/"));
  let balances: Awaited<ReturnType<typeof module.latestBalances>>;
  try {
    balances = await module.latestBalances(store);
  } finally {
    await store.close();
  }
  const chosen =
    balances.find((b) => isProviderName(b.provider) && !adapterOf(b.provider).entries) ??
    balances[0];
  if (!chosen) return undefined;
  return {
    rule: {
      name: "demo-floor",
      provider: chosen.provider,
      account: chosen.account,
      below: formatMicros(parseDecimal(chosen.balance) + 10_000_000n),
      currency: chosen.currency,
    },
    labels: `provider="${chosen.provider}",account="${chosen.account}",`,
  };
}

/** A webhook receiver as a user would write one: it checks the HMAC over the raw body. */
async function startReceiver() {
  const received: { signed: boolean; message: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(request.headers["x-spendkit-timestamp"] ?? "");
      const expected = Buffer.from(signature(SECRET, timestamp, body));
      const given = Buffer.from(String(request.headers["x-spendkit-signature"] ?? ""));
      const signed = given.length === expected.length && timingSafeEqual(given, expected);
      let message = "";
      try {
        message = String(JSON.parse(body).message ?? "");
      } catch {
        // not JSON: not one of ours
      }
      received.push({ signed, message });
      response.writeHead(signed ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/spendkit`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
