// One provider's spec change, end to end: the diff, the packages it releases, its changeset.
import { join } from "node:path";
import { parse } from "yaml";
import { changesetName, writeChangeset } from "./changeset.js";
import { diffSpecs } from "./compare.js";
import type { SpecDiff } from "./levels.js";
import { affectedPackages } from "./packages.js";

export interface ProviderDiff {
  name: string;
  diff: SpecDiff;
  /** The provider's package first, then the packages that depend on it. */
  packages: string[];
  changesetFile: string;
}

/** Diffs `oldText` against `newText` (either undefined when the spec is absent). */
export function diffProvider(
  root: string,
  name: string,
  oldText: string | undefined,
  newText: string | undefined,
): ProviderDiff {
  const oldDoc = oldText === undefined ? null : parse(oldText);
  const newDoc = newText === undefined ? null : parse(newText);
  return {
    name,
    diff: diffSpecs(oldDoc, newDoc),
    packages: affectedPackages(root, name),
    changesetFile: join(root, ".changeset", changesetName(name, oldText)),
  };
}

/** Writes (or rewrites) the changeset of a provider's diff; undefined when none is needed. */
export function writeProviderChangeset(result: ProviderDiff): string | undefined {
  return writeChangeset(result.changesetFile, result.packages, result.name, result.diff);
}
