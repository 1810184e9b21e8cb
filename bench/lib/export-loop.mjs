#!/usr/bin/env node
// The baselines of part 3: a ByteSpike → CSV export as a user would write it without the
// spendkit CLI, run as its own process like the CLI.
//
//   node bench/lib/export-loop.mjs --via hand   --out FILE [--since ISO] [--until ISO]
//   node bench/lib/export-loop.mjs --via client --out FILE [--since ISO] [--until ISO] [--concurrency N]
//
// `hand`: the minimal loop, fetch one page after the other, JSON-parse it, append CSV lines.
// `client`: the same loop over @spendkit/bytespike's `.all()` (no ledger), to tell the cost of
// the client from the cost of the ledger. Both pin `until` at start, write one CSV line per row
// (provider, id, time, kind, amount, balance after, currency, description, reference), and wait
// for the file stream to drain, so memory stays flat whatever the number of rows.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    via: { type: "string", default: "hand" },
    out: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    concurrency: { type: "string" },
  },
});
// biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; set by bench/export.mjs
const apiKey = process.env.BYTESPIKE_API_KEY;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; set by bench/export.mjs
const baseUrl = process.env.BYTESPIKE_BASE_URL;
if (!apiKey || !baseUrl || !args.out) {
  console.error("usage: BYTESPIKE_API_KEY=… BYTESPIKE_BASE_URL=… export-loop.mjs --out FILE");
  process.exit(2);
}
const until = args.until ?? new Date().toISOString();
const PAGE_SIZE = 200;

function csvField(value) {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(tx) {
  const reference = tx.source?.receipt_id ?? tx.source?.actor ?? "";
  return `bytespike,${tx.id},${tx.created_at},${tx.kind},${tx.amount_usd},${tx.balance_after_usd},USD,${csvField(tx.note)},${csvField(reference)}\n`;
}

async function* handRows() {
  const query = `page_size=${PAGE_SIZE}&until=${encodeURIComponent(until)}${args.since ? `&since=${encodeURIComponent(args.since)}` : ""}`;
  for (let page = 1; ; page++) {
    const response = await fetch(
      `${baseUrl}/api/v1/me/billing/transactions?page=${page}&${query}`,
      {
        headers: { Authorization: `Bearer ${apiKey}` },
      },
    );
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    const body = await response.json();
    yield body.items;
    if (body.items.length < PAGE_SIZE || page * PAGE_SIZE >= body.total) return;
  }
}

async function* clientRows() {
  const root = new URL("../..", import.meta.url).pathname;
  const { createByteSpikeClient } = await import(
    pathToFileURL(join(root, "packages/bytespike/dist/index.js")).href
  );
  const client = createByteSpikeClient({ apiKey, baseUrl });
  const options = args.concurrency ? { concurrency: Number(args.concurrency) } : undefined;
  let batch = [];
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
for await (const items of args.via === "client" ? clientRows() : handRows()) {
  let chunk = "";
  for (const tx of items) chunk += csvLine(tx);
  rows += items.length;
  if (!out.write(chunk)) await once(out, "drain");
}
out.end();
await once(out, "finish");
process.stderr.write(`${rows} rows\n`);
