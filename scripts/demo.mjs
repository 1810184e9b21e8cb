#!/usr/bin/env node
// pnpm demo: start a Prism mock of the ByteSpike spec and print its wallet transactions through
// the generated client. No API key needed.
import { createByteSpikeClient } from "@spendkit/bytespike";
import { startPrism } from "@spendkit/mock";

const mock = await startPrism("bytespike");
try {
  const client = createByteSpikeClient({ apiKey: "sk-demo", baseUrl: mock.url });
  console.log(`ByteSpike transactions (Prism mock at ${mock.url})\n`);
  console.log(
    [
      "created_at".padEnd(22),
      "kind".padEnd(14),
      "amount_usd".padStart(11),
      "balance_after".padStart(14),
    ].join(" "),
  );
  for await (const tx of client.listTransactions.all()) {
    console.log(
      [
        tx.created_at.padEnd(22),
        tx.kind.padEnd(14),
        tx.amount_usd.toFixed(2).padStart(11),
        tx.balance_after_usd.toFixed(2).padStart(14),
      ].join(" "),
    );
  }
} finally {
  await mock.stop();
}
