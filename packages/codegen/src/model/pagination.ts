// `x-spendkit-pagination` and `x-spendkit-window`: the request fields `.all()` and the window
// check work with, checked against the operation's flat input.
import type { FieldSchema, PaginationSpec, WindowSpec } from "@spendkit/core";
import type { Node } from "../spec/document.js";

export function paginationSpec(
  extension: Node,
  properties: Record<string, FieldSchema>,
  where: string,
): PaginationSpec {
  const { page, pageSize, items, total, reportedPageSize, windowEnd } = extension;
  for (const field of [page, pageSize, windowEnd].filter(Boolean)) {
    if (!properties[field])
      throw new Error(`${where}: x-spendkit-pagination names unknown field "${field}"`);
  }
  if (!items) throw new Error(`${where}: x-spendkit-pagination needs "items"`);
  const maxPageSize = properties[pageSize]?.maximum;
  const entry: PaginationSpec = {
    page,
    pageSize,
    // The largest page the spec allows is what `.all()` asks for.
    ...(maxPageSize !== undefined ? { maxPageSize } : {}),
    items,
    ...(total ? { total } : {}),
    ...(reportedPageSize ? { reportedPageSize } : {}),
  };
  if (windowEnd) {
    entry.windowEnd = windowEnd;
    entry.windowEndFormat = windowEndFormat(properties[windowEnd]!, where);
  }
  return entry;
}

/**
 * How `.all()` writes the window end it pins: in the field's form, or, for a field that takes
 * several (`anyOf`), in the first one the spec lists.
 */
function windowEndFormat(schema: FieldSchema, where: string): "date-time" | "epoch-ms" {
  const form = schema.anyOf?.[0] ?? schema;
  if (form.format === "date-time") return "date-time";
  if (form.pattern === "^[0-9]+$") return "epoch-ms";
  throw new Error(
    `${where}: the windowEnd field (or the first form of its anyOf) must be a date-time or an epoch-milliseconds string (pattern '^[0-9]+$')`,
  );
}

export function windowSpec(
  extension: Node,
  properties: Record<string, FieldSchema>,
  where: string,
): WindowSpec {
  for (const field of [extension.start, extension.end]) {
    if (!properties[field])
      throw new Error(`${where}: x-spendkit-window names unknown field "${field}"`);
  }
  return { start: extension.start, end: extension.end };
}
