// The baselines of part 3: a ByteSpike → CSV export as a user would write it without the
// spendkit CLI, run as its own process like the CLI (as plain JavaScript: bench/lib/child.ts).
//
//   export-loop --via hand   --out FILE [--since ISO] [--until ISO]
//   export-loop --via client --out FILE [--since ISO] [--until ISO] [--concurrency N]
//
// `hand`: the minimal loop, fetch one page after the other, JSON-parse it, append CSV lines.
// `client`: the same loop over @spendkit/bytespike's `.all()` (no ledger), to tell the cost of
// the client from the cost of the ledger. Both pin `until` at start, write one CSV line per row
// (provider, id, time, kind, amount, balance after, currency, description, reference), and wait
// for the file stream to drain, so memory stays flat whatever the number of rows.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import type { components } from "@spendkit/bytespike";

type Transaction = components["schemas"]["Transaction"];
type TransactionPage = components["schemas"]["TransactionPage"];

const { values: args } = parseArgs({
  options: {
    via: { type: "string", default: "hand" },
    out: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    concurrency: { type: "string" },
  },
});
// biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; set by bench/export.ts
const apiKey = process.env.BYTESPIKE_API_KEY;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; set by bench/export.ts
const baseUrl = process.env.BYTESPIKE_BASE_URL;
if (!apiKey || !baseUrl || !args.out) {
  console.error("usage: BYTESPIKE_API_KEY=… BYTESPIKE_BASE_URL=… export-loop --out FILE");
  process.exit(2);
}
const until = args.until ?? new Date().toISOString();
const PAGE_SIZE = 200;

function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(tx: Transaction): string {
  const { source } = tx;
  const reference =
    "receipt_id" in source ? source.receipt_id : "actor" in source ? source.actor : "";
  return `bytespike,${tx.id},${tx.created_at},${tx.kind},${tx.amount_usd},${tx.balance_after_usd},USD,${csvField(tx.note)},${csvField(reference)}\n`;
}

async function* handRows(apiKey: string, baseUrl: string): AsyncGenerator<Transaction[]> {
  const query = `page_size=${PAGE_SIZE}&until=${encodeURIComponent(until)}${args.since ? `&since=${encodeURIComponent(args.since)}` : ""}`;
  for (let page = 1; ; page++) {
    const response = await fetch(
      `${baseUrl}/api/v1/me/billing/transactions?page=${page}&${query}`,
      {
        headers: { Authorization: `Bearer ${apiKey}` },
      },
    );
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as TransactionPage;
    yield body.items;
    if (body.items.length < PAGE_SIZE || page * PAGE_SIZE >= body.total) return;
  }
}

async function* clientRows(apiKey: string, baseUrl: string): AsyncGenerator<Transaction[]> {
  // Imported only here, so that the hand-written loop's process never loads the client.
  const { createByteSpikeClient } = await import("@spendkit/bytespike");
  const client = createByteSpikeClient({ apiKey, baseUrl });
  const options = args.concurrency ? { concurrency: Number(args.concurrency) } : undefined;
  let batch: Transaction[] = [];
  const input = args.since ? { since: args.since, until } : { until };
  for await (const tx of client.listTransactions.all(input, options)) {
    batch.push(tx);
    if (batch.length === PAGE_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const out = createWriteStream(args.out);
out.write("provider,id,time,kind,amount,balance_after,currency,description,reference\n");
let rows = 0;
const pages = args.via === "client" ? clientRows(apiKey, baseUrl) : handRows(apiKey, baseUrl);
for await (const items of pages) {
  let chunk = "";
  for (const tx of items) chunk += csvLine(tx);
  rows += items.length;
  if (!out.write(chunk)) await once(out, "drain");
}
out.end();
await once(out, "finish");
process.stderr.write(`${rows} rows\n`);
