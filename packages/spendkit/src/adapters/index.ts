import type { ProviderAdapter } from "../types.js";
import { bytespike } from "./bytespike.js";
import { wavespeed } from "./wavespeed.js";
import { xai } from "./xai.js";

/**
 * The registry: one adapter per provider, by name. It is the only place the aggregate learns
 * which providers exist; the provider names, `LedgerClients`, the CLI's help, its environment
 * variables and the FOCUS writer's metadata are all derived from it.
 */
export const adapters = { bytespike, wavespeed, xai };

/** The name of a provider the ledger knows (a key of the registry). */
export type ProviderName = keyof typeof adapters;

/** The client type an adapter reads from. */
type ClientOf<A> = A extends ProviderAdapter<infer Client> ? Client : never;

/** The generated clients the ledger reads from; any subset. */
export type LedgerClients = {
  [K in ProviderName]?: ClientOf<(typeof adapters)[K]> | undefined;
};

/** The provider names, in the order the CLI lists them. */
export const providerNames = Object.keys(adapters) as ProviderName[];

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(adapters, name);
}

/** The adapter of a provider, typed loosely for code that handles every provider alike. */
export function adapterOf(name: ProviderName): ProviderAdapter<any> {
  return adapters[name];
}
