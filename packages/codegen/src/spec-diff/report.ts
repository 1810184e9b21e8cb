import type { SpecDiff } from "./levels.js";

/** A readable report: one line per change, with its level, then the resulting bump. */
export function formatReport(title: string, diff: SpecDiff): string {
  const lines = [title];
  if (diff.changes.length === 0) lines.push("  no changes");
  for (const change of diff.changes) {
    lines.push(`  ${change.level.padEnd(5)}  ${change.subject}: ${change.message}`);
  }
  lines.push(`  → ${diff.level === "none" ? "no release needed" : `${diff.level} bump`}`);
  return lines.join("\n");
}
