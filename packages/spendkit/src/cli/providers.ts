import { adapterOf, providerNames } from "@spendkit/ledger";

/**
 * What the CLI's help says about the providers, derived from the adapter registry, so that a
 * new adapter shows up in every command's help without an edit here.
 */

/** The provider names, comma-separated. */
export const PROVIDER_LIST = providerNames.join(", ");

/** The providers' display names, comma-separated. */
export const DISPLAY_NAMES = providerNames.map((name) => adapterOf(name).displayName).join(", ");

/** The key variables, each with the optional ones of its provider: "A_KEY, B_KEY (+ optional B_TEAM)". */
export function keyVariables(): string {
  return providerNames
    .map((name) => {
      const { env } = adapterOf(name);
      const optional = Object.values(env.options ?? {});
      return optional.length ? `${env.apiKey} (+ optional ${optional.join(", ")})` : env.apiKey;
    })
    .join(", ");
}

/** The base URL variables: "A_BASE_URL, B_BASE_URL". */
export function baseUrlVariables(): string {
  return providerNames.map((name) => adapterOf(name).env.baseUrl).join(", ");
}

/** Where each provider's figure comes from: "Display Name: operation (field); …". */
export function sourcesOf(figure: "balance" | "usage"): string {
  return providerNames
    .map((name) => `${adapterOf(name).displayName}: ${adapterOf(name).sources[figure]}`)
    .join("; ");
}

/**
 * Text wrapped at `width` columns: the first line keeps the text's own leading spaces, the
 * others start with `indent`. Runs of spaces inside the text (column alignment) are kept.
 */
export function wrap(text: string, width = 78, indent = ""): string {
  const lead = /^ */.exec(text)![0];
  const words = text.slice(lead.length).split(/(?<=\S) (?=\S)/);
  const lines: string[] = [];
  let line = lead;
  for (const word of words) {
    if (line.trim() && `${line} ${word}`.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line.trim() ? `${line} ${word}` : line + word;
    }
  }
  lines.push(line);
  return lines.join("\n");
}
