import { InputError } from "@spendkit/core";
import type { LedgerClients, ProviderName } from "@spendkit/ledger";
import { adapterOf, providerNames } from "@spendkit/ledger";
import { UsageError } from "./args.js";
import type { DriftNotes } from "./drift.js";
import { type CliIO, note } from "./io.js";

export interface Configured {
  clients: LedgerClients;
  names: ProviderName[];
}

/**
 * Builds a client for each provider whose key is in the environment. A provider named in
 * `requested` without a key is bad usage; others without a key are skipped with a note. Keys are
 * read here and handed to the clients, never printed.
 */
export function configure(
  io: CliIO,
  requested: readonly ProviderName[] | undefined,
  drift?: DriftNotes,
): Configured {
  const clients: Record<string, unknown> = {};
  const names: ProviderName[] = [];
  for (const name of requested ?? providerNames) {
    const adapter = adapterOf(name);
    const apiKey = io.env[adapter.env.apiKey]?.trim();
    if (!apiKey) {
      if (requested)
        throw new UsageError(`${name} was requested but ${adapter.env.apiKey} is not set`);
      note(io, `skipping ${name}: ${adapter.env.apiKey} is not set`);
      continue;
    }
    const options: Record<string, unknown> = { apiKey };
    if (drift) options.onDrift = drift.report;
    const baseUrl = io.env[adapter.env.baseUrl]?.trim();
    if (baseUrl) options.baseUrl = baseUrl;
    for (const [option, variable] of Object.entries(adapter.env.options ?? {})) {
      const value = io.env[variable]?.trim();
      if (value) options[option] = value;
    }
    try {
      clients[name] = adapter.createClient(options as { apiKey: string });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const variable = error.field === "baseUrl" ? adapter.env.baseUrl : error.field;
      throw new UsageError(`${name}: ${variable}: ${error.message.replace(/^[^:]*: /, "")}`);
    }
    names.push(name);
  }
  if (names.length === 0) {
    const variables = providerNames.map((name) => adapterOf(name).env.apiKey).join(", ");
    throw new UsageError(
      `no provider is configured: set at least one of ${variables} (or try spendkit demo)`,
    );
  }
  return { clients: clients as LedgerClients, names };
}
