import type { OperationSpec } from "@spendkit/core";
import type { Spec } from "../spec/load.js";

/** TypeScript for the `Operations` interface: each operation's input, result and item types. */
export function operationTypes(spec: Spec, table: Record<string, OperationSpec>): string {
  const clientFilled = Object.keys(spec.ext.clientParams ?? {});
  const envelope = spec.ext.envelope;
  const lines: string[] = [];
  for (const [id, entry] of Object.entries(table)) {
    const op = `Schema["${id}"]`;
    const filled = clientFilled.filter((name) => entry.in[name] === "path");
    const input = filled.length
      ? `FlatInput<${op}, ${filled.map((n) => `"${n}"`).join(" | ")}>`
      : `FlatInput<${op}>`;
    const result = envelope
      ? `NonNullable<${index(`SuccessBody<${op}>`, envelope.data)}>`
      : `SuccessBody<${op}>`;
    const summary: string | undefined = spec.document.paths[entry.path][entry.method].summary;
    lines.push(`  /** ${summary ?? id} */`);
    lines.push(`  ${id}: {`);
    lines.push(`    input: ${input};`);
    lines.push(`    result: ${result};`);
    if (entry.pagination) {
      lines.push(
        `    item: NonNullable<${index(`Operations["${id}"]["result"]`, entry.pagination.items)}>[number];`,
      );
      const pagination = entry.pagination;
      const fields =
        pagination.style === "cursor"
          ? [pagination.cursor, pagination.pageSize]
          : [pagination.page, pagination.pageSize];
      lines.push(
        `    pageFields: ${fields
          .filter((field): field is string => field !== undefined)
          .map((field) => `"${field}"`)
          .join(" | ")};`,
      );
      // A cursor list is walked forwards only: its type has no pagesReversed().
      if (pagination.style === "cursor") lines.push("    cursor: true;");
    }
    lines.push("  };");
  }
  return lines.join("\n");
}

/** `T["a"]["b"]` for a dotted path, with each step made non-nullable. */
function index(type: string, dotted: string): string {
  return dotted
    .split(".")
    .reduce((t, key, i) => (i === 0 ? `${t}["${key}"]` : `NonNullable<${t}>["${key}"]`), type);
}
