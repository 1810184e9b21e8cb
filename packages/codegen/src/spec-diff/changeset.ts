// The changeset a spec change calls for.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SpecDiff } from "./levels.js";

const MAX_LISTED = 25;

/** The text of a changeset that releases `packages` with the diff's bump. */
function changesetText(packages: string[], specName: string, diff: SpecDiff): string {
  const front = packages.map((name) => `"${name}": ${diff.level}`).join("\n");
  const listed = diff.changes
    .slice(0, MAX_LISTED)
    .map((c) => `- ${c.level}: ${c.subject}: ${c.message}`);
  if (diff.changes.length > MAX_LISTED) {
    listed.push(
      `- … and ${diff.changes.length - MAX_LISTED} more (run \`pnpm spec-diff ${specName}\`)`,
    );
  }
  return `---
${front}
---

Regenerated from \`specs/${specName}.yaml\` (spec-diff: ${diff.level}).

${listed.join("\n")}
`;
}

/**
 * The changeset's file name: fixed for one base version of the spec, so running spec-diff again
 * before committing rewrites the same changeset instead of adding a second one.
 */
export function changesetName(specName: string, oldText: string | undefined): string {
  const hash = createHash("sha256")
    .update(oldText ?? "")
    .digest("hex")
    .slice(0, 8);
  return `${specName}-spec-${hash}.md`;
}

/** Writes (or rewrites) a changeset; returns its path, or undefined when nothing is released. */
export function writeChangeset(
  file: string,
  packages: string[],
  specName: string,
  diff: SpecDiff,
): string | undefined {
  if (diff.level === "none") return undefined;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, changesetText(packages, specName, diff));
  return file;
}
