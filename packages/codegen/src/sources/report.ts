// What `pnpm sources:check` prints: one line per source (changed ones with the operations they
// feed and the command to run next), then the diffs. Plain text, readable in a terminal and
// pasted as-is into the pull request the scheduled workflow opens.

import type { SourceResult } from "./check.js";

const originOf = ({ header: { origin } }: SourceResult) =>
  origin.kind === "page" ? origin.url : `${origin.repository}@${origin.commit}`;

/** `pnpm regenerate` takes the provider, which is the spec's file name. */
const providerOf = (spec: string) => spec.replace(/\.ya?ml$/, "");

function summaryLines(result: SourceResult): string[] {
  const head = `${result.status.padEnd(11)} ${result.name}  ${originOf(result)}`;
  const { spec, operations } = result.header;
  switch (result.status) {
    case "unchanged":
      return result.note ? [head, `            ${result.note}`] : [head];
    case "unreachable":
      return [head, `            could not check: ${result.reason}`];
    case "changed":
      return [
        head,
        ...(result.newCommit ? [`            newest commit: ${result.newCommit}`] : []),
        `            feeds ${spec}: ${operations.join(", ")}`,
        `            then: pnpm regenerate ${providerOf(spec)}`,
      ];
  }
}

export function formatReport(results: SourceResult[]): string {
  const count = (status: SourceResult["status"]) =>
    results.filter((result) => result.status === status).length;
  const lines = [
    `sources: ${count("changed")} changed, ${count("unchanged")} unchanged, ${count("unreachable")} unreachable`,
    "",
    ...results.flatMap(summaryLines),
  ];
  for (const result of results) {
    if (result.status === "changed") lines.push("", result.diff.trimEnd());
  }
  return `${lines.join("\n")}\n`;
}
