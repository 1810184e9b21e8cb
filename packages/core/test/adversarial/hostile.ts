// Shared pieces of the adversarial suite: a deep dump of everything an error exposes, and the
// check that no fragment of a secret survives in it.
import { FRAGMENT } from "../../src/secrets.js";

/**
 * Every string reachable from an error the way a caller, a logger or a serialiser reaches it:
 * own and inherited fields, `stack`, `name`, `message`, the body (as JSON), `toJSON()`, and the
 * cause chain with each cause's own fields.
 */
export function everythingIn(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 12 || value === null || value === undefined) return;
    if (typeof value !== "object") {
      parts.push(String(value));
      return;
    }
    if (seen.has(value)) return;
    seen.add(value);
    if (value instanceof Error) {
      parts.push(String(value.name), String(value.message), String(value.stack));
      const { code } = value as { code?: unknown };
      if (code !== undefined) parts.push(String(code));
      if ("cause" in value) visit(value.cause, depth + 1);
    }
    for (const key of Object.getOwnPropertyNames(value)) {
      parts.push(key);
      visit((value as Record<string, unknown>)[key], depth + 1);
    }
  };
  visit(error, 0);
  try {
    parts.push(JSON.stringify(error));
  } catch {
    // circular structures are covered by the walk above
  }
  return parts.join("\n");
}

/** The fragments of `secret` (FRAGMENT characters or more) found in `text`. */
export function fragmentsIn(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + FRAGMENT <= secret.length; i++) {
    const fragment = secret.slice(i, i + FRAGMENT);
    if (text.includes(fragment)) found.push(fragment);
  }
  return found;
}
