/**
 * Hiding credentials in text that may reach a caller: error messages, bodies echoed by a server,
 * a cause's message. A server may echo a key whole, cut ("sk-live-5Ecr3t…") or inside other
 * text, so every run of 8 or more characters that occurs in a secret is hidden, not just the
 * secret itself.
 */

/** Shortest run of a secret's characters that counts as a fragment of it. */
export const FRAGMENT = 8;

const REDACTED = "[redacted]";

/** Request headers whose values are credentials. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "x-api-key", "cookie"]);

/** The credential values among `headers` (names compared case-insensitively). */
export function secretHeaderValues(headers: unknown): string[] {
  const values: string[] = [];
  if (headers === null || typeof headers !== "object") return values;
  for (const [name, value] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(name.toLowerCase()) && typeof value === "string") {
      // Every fragment of a credential part ("Bearer sk-…", "session=abc…") is a fragment of
      // the whole value too, so the whole is enough.
      values.push(value);
    }
  }
  return values;
}

export type Hide = (text: string) => string;

/**
 * A function that replaces every fragment of the given secrets (and of their URL-encoded form)
 * with "[redacted]". Values shorter than a fragment are hidden only where they occur whole.
 */
export function createHider(secrets: readonly string[]): Hide {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  const grams = new Set<string>();
  const short: string[] = [];
  for (const form of forms) {
    if (form.length < FRAGMENT) {
      // Too short to hunt for inside other text without hiding ordinary words; hidden whole.
      if (form.length >= 4) short.push(form);
      continue;
    }
    for (let i = 0; i + FRAGMENT <= form.length; i++) grams.add(form.slice(i, i + FRAGMENT));
  }
  if (grams.size === 0 && short.length === 0) return (text) => text;
  return (text) => {
    if (typeof text !== "string") return text;
    let result = grams.size > 0 ? hideFragments(text, grams) : text;
    for (const form of short) result = result.split(form).join(REDACTED);
    return result;
  };
}

/**
 * Marks every position covered by an 8-character window that occurs in a secret, then replaces
 * each maximal covered run. Any substring of a secret of 8 or more characters is a union of such
 * windows, so it is covered whole.
 */
function hideFragments(text: string, grams: ReadonlySet<string>): string {
  let out = "";
  let copied = 0; // text before this index is settled in `out`
  let runStart = -1; // the covered run being extended, -1 when none
  let runEnd = -1;
  for (let i = 0; i + FRAGMENT <= text.length; i++) {
    if (!grams.has(text.slice(i, i + FRAGMENT))) continue;
    if (runStart !== -1 && i <= runEnd) {
      runEnd = i + FRAGMENT;
      continue;
    }
    if (runStart !== -1) {
      out += text.slice(copied, runStart) + REDACTED;
      copied = runEnd;
    }
    runStart = i;
    runEnd = i + FRAGMENT;
  }
  if (runStart === -1) return text;
  return out + text.slice(copied, runStart) + REDACTED + text.slice(runEnd);
}
