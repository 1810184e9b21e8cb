import { resolve } from "node:path";
import type { ProviderName } from "@spendkit/ledger";
import {
  adapterOf,
  createCsvWriter,
  createFocusWriter,
  createTableWriter,
  providerNames,
} from "@spendkit/ledger";
import { parse } from "./args.js";
import { AtomicFile } from "./atomic.js";
import { balanceTable, fetchBalances } from "./balance.js";
import { demoStore } from "./demo-store.js";
import { type CliIO, note, reportFailures } from "./io.js";
import { exportLedger } from "./ledger.js";
import { onInterrupt } from "./signals.js";

export const DEMO_HELP = `Usage: spendkit demo

Runs spendkit end to end without any key: starts Prism mocks of every provider's spec on free
loopback ports, points the clients at them, prints each provider's balance and the unified
ledger (rows from every provider), writes ledger.csv and ledger.focus.csv into the current
directory (atomically), syncs the mocks into a throwaway embedded store, shows spendkit status
and spendkit reconcile on it and writes its spendkit report as report.html next to the CSV
files, runs spendkit serve on it briefly (a few metric lines, one alert delivered to a signed
webhook receiver on loopback), and stops the mocks (also on Ctrl-C or an error).

Needs a development checkout of spendkit: the mocks come from the private @spendkit/mock
workspace package, which is not published.

Options:
  -h, --help          show this help
`;

/** The files the demo writes into the current directory. */
export const DEMO_FILES = {
  csv: "ledger.csv",
  focus: "ledger.focus.csv",
  report: "report.html",
} as const;

interface MockModule {
  startPrism(name: string): Promise<{ url: string; stop(): Promise<void> }>;
}

export async function demoCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(args, { help: { type: "boolean", short: "h" } }, "demo");
  if (values.help) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  let mock: MockModule;
  try {
    // Dynamic on purpose: @spendkit/mock is a private workspace package, absent from a
    // published install; everything else works without it.
    mock = (await import("@spendkit/mock")) as MockModule;
  } catch {
    note(
      io,
      "demo needs the @spendkit/mock package, which only exists in a development checkout of spendkit (run pnpm demo there)",
    );
    return 2;
  }

  const running: { stop(): Promise<void> }[] = [];
  const stopAll = () => Promise.allSettled(running.splice(0).map((server) => server.stop()));
  const unregister = onInterrupt(stopAll);
  const files: AtomicFile[] = [];
  try {
    note(io, `starting Prism mocks of specs/{${providerNames.join(",")}}.yaml ...`);
    const started = await Promise.allSettled(providerNames.map((name) => mock.startPrism(name)));
    for (const result of started) if (result.status === "fulfilled") running.push(result.value);
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;

    const clients: Record<string, unknown> = {};
    providerNames.forEach((name, i) => {
      const url = (started[i] as PromiseFulfilledResult<{ url: string }>).value.url;
      clients[name] = adapterOf(name).createClient({
        apiKey: "sk-demo-not-a-secret",
        baseUrl: url,
        maxRetries: 0,
      });
      io.stdout.write(`${name.padEnd(10)} Prism mock of specs/${name}.yaml at ${url}\n`);
    });

    io.stdout.write("\nBalances\n");
    const balance = await fetchBalances(
      providerNames.map((name) => ({ provider: name, account: name, client: clients[name] })),
    );
    io.stdout.write(balanceTable(balance));

    io.stdout.write("\nLedger (every provider, oldest first)\n");
    const csv = await AtomicFile.create(resolve(io.cwd, DEMO_FILES.csv));
    files.push(csv);
    const focus = await AtomicFile.create(resolve(io.cwd, DEMO_FILES.focus));
    files.push(focus);
    const result = await exportLedger(
      io,
      clients,
      [...providerNames],
      { since: undefined, until: new Date() },
      [createTableWriter(io.stdout), createCsvWriter(csv.stream), createFocusWriter(focus.stream)],
      false,
    );
    await csv.commit();
    await focus.commit();
    io.stdout.write(
      `\nWrote ${DEMO_FILES.csv} and ${DEMO_FILES.focus} (${result.count} entries each) in ${io.cwd}\n`,
    );
    const failures = new Map<string, unknown>([...balance.failures, ...result.failures]);
    const urls = Object.fromEntries(
      providerNames.map((name, i) => [
        name,
        (started[i] as PromiseFulfilledResult<{ url: string }>).value.url,
      ]),
    ) as Record<ProviderName, string>;
    const synced = await demoStore(io, urls, resolve(io.cwd, DEMO_FILES.report));
    return Math.max(synced, reportFailures(io, failures, "the others are shown"));
  } finally {
    await Promise.allSettled(files.map((file) => file.abort()));
    await stopAll();
    unregister();
  }
}
