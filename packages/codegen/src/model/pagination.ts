// `x-spendkit-pagination` and `x-spendkit-window`: the request fields `.all()` and the window
// check work with, checked against the operation's flat input.
import type {
  CursorPagination,
  FieldSchema,
  PageNumberPagination,
  PaginationSpec,
  TimeForm,
  WindowSpec,
} from "@spendkit/core";
import type { Node } from "../spec/document.js";

const STYLES = ["page", "cursor"] as const;

export function paginationSpec(
  extension: Node,
  properties: Record<string, FieldSchema>,
  where: string,
): PaginationSpec {
  const style = extension.style ?? "page";
  if (!(STYLES as readonly string[]).includes(style)) {
    throw new Error(
      `${where}: x-spendkit-pagination style "${style}" is not one of ${STYLES.join(", ")}`,
    );
  }
  const requestFields =
    style === "cursor"
      ? [extension.cursor, extension.pageSize]
      : [extension.page, extension.pageSize];
  for (const field of [...requestFields, extension.windowEnd].filter(Boolean)) {
    if (!properties[field])
      throw new Error(`${where}: x-spendkit-pagination names unknown field "${field}"`);
  }
  for (const key of style === "cursor"
    ? ["cursor", "next", "hasMore", "items"]
    : ["page", "pageSize", "items"]) {
    if (!extension[key])
      throw new Error(`${where}: x-spendkit-pagination (${style}) needs "${key}"`);
  }
  const maxPageSize = extension.pageSize ? properties[extension.pageSize]?.maximum : undefined;
  // The largest page the spec allows is what `.all()` asks for.
  const size = maxPageSize !== undefined ? { maxPageSize } : {};
  const windowEnd = extension.windowEnd
    ? {
        windowEnd: extension.windowEnd as string,
        windowEndFormat: windowEndFormat(properties[extension.windowEnd]!, where),
      }
    : {};
  if (style === "cursor") {
    const { cursor, next, hasMore, items, pageSize } = extension;
    const entry: CursorPagination = {
      style,
      cursor,
      next,
      hasMore,
      items,
      ...(pageSize ? { pageSize } : {}),
      ...size,
      ...windowEnd,
    };
    return entry;
  }
  const { page, pageSize, items, total, reportedPageSize } = extension;
  const entry: PageNumberPagination = {
    page,
    pageSize,
    ...size,
    items,
    ...(total ? { total } : {}),
    ...(reportedPageSize ? { reportedPageSize } : {}),
    ...windowEnd,
  };
  return entry;
}

/**
 * How `.all()` writes the window end it pins: in the field's form, or, for a field that takes
 * several (`anyOf`), in the first one the spec lists.
 */
function windowEndFormat(schema: FieldSchema, where: string): TimeForm {
  const form = schema.anyOf?.[0] ?? schema;
  if (form.format === "date-time") return "date-time";
  if (form.format === "unix-seconds") return "unix-seconds";
  if (form.pattern === "^[0-9]+$") return "epoch-ms";
  throw new Error(
    `${where}: the windowEnd field (or the first form of its anyOf) must be a date-time, Unix seconds (x-spendkit-time: unix-seconds) or an epoch-milliseconds string (pattern '^[0-9]+$')`,
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
