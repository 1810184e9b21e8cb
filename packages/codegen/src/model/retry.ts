import type { Node } from "../spec/document.js";

/**
 * Whether repeating the request cannot change anything (`x-spendkit-retry-safe`). Without the
 * extension, GET and HEAD are safe and every other method is not: a write is never repeated
 * unless its spec says so.
 */
export function isRetrySafe(method: string, operation: Node): boolean {
  return operation["x-spendkit-retry-safe"] ?? (method === "get" || method === "head");
}
