import type { LedgerClients, ProviderAdapter, ProviderName } from "../types.js";
import { bytespike } from "./bytespike.js";
import { wavespeed } from "./wavespeed.js";
import { xai } from "./xai.js";

/** One adapter per provider, by name. Adding a provider means adding its adapter here. */
export const adapters: {
  readonly [K in ProviderName]: ProviderAdapter<NonNullable<LedgerClients[K]>>;
} = {
  bytespike,
  wavespeed,
  xai,
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
