import { EntryRefusedError } from "./errors.js";
import type { AccountRef, StoreEntry } from "./types.js";

/**
 * Text as the store can hold it. PostgreSQL's text and jsonb refuse U+0000, and jsonb refuses a
 * lone surrogate written as a `\u` escape; a provider's record may hold either (a NUL at the end
 * of a C string, a description cut in the middle of an emoji). Refusing such a row would stop
 * every later sync of the account at it, for a character nobody can see, so each becomes
 * U+FFFD, the replacement character: the same thing Node's UTF-8 encoder already does to a lone
 * surrogate in a text field. Amounts, times and currencies are checked elsewhere and never
 * reach here.
 */

const NUL = "\u0000";
const REPLACEMENT = "\ufffd";
/**
 * The longest id the store keeps, in UTF-8 bytes. A btree entry holds at most 2,704 bytes, and
 * the id shares the primary key's and the read indexes' entries with the provider, the account
 * (at most 64 characters in a config) and the time: 2,048 leaves room for them all.
 */
export const MAX_ID_BYTES = 2_048;

const OPTIONAL_TEXT_FIELDS = ["description", "model", "reference", "project", "apiKey"] as const;

/** The value with every U+0000 replaced. */
export function storableText(value: string): string {
  return value.includes(NUL) ? value.replaceAll(NUL, REPLACEMENT) : value;
}

/**
 * The entry with its text fields storable: the entry itself when they are already (nearly
 * always), so that a sync allocates nothing for it. `raw` is made storable as JSON text
 * (`storableJson`), where its escapes are. An id longer than `MAX_ID_BYTES` cannot be stored
 * as it is and is refused (`EntryRefusedError`).
 */
export function storableEntry(account: AccountRef, entry: StoreEntry): StoreEntry {
  // A UTF-8 byte is at least a third of a UTF-16 unit: only a long id needs counting.
  if (entry.id.length > MAX_ID_BYTES / 3 && Buffer.byteLength(entry.id) > MAX_ID_BYTES) {
    throw new EntryRefusedError(
      `${account.provider}/${account.account}: the entry at ${entry.time} has an id of ${Buffer.byteLength(entry.id).toLocaleString("en-US")} bytes, beginning ${JSON.stringify(entry.id.slice(0, 24))}; the store keeps ids of at most ${MAX_ID_BYTES.toLocaleString("en-US")} bytes, so its batch was not stored`,
    );
  }
  // Each field by name: a first sync passes every row through here.
  if (
    !entry.id.includes(NUL) &&
    !entry.description?.includes(NUL) &&
    !entry.model?.includes(NUL) &&
    !entry.reference?.includes(NUL) &&
    !entry.project?.includes(NUL) &&
    !entry.apiKey?.includes(NUL)
  ) {
    return entry;
  }
  const copy = { ...entry, id: storableText(entry.id) };
  for (const field of OPTIONAL_TEXT_FIELDS) {
    const value = entry[field];
    if (value !== undefined) copy[field] = storableText(value);
  }
  return copy;
}

/**
 * In JSON text as `JSON.stringify` writes it: a backslash pair (an escaped backslash, kept), or
 * an escape jsonb refuses: U+0000, or a surrogate, which `JSON.stringify` escapes only when it
 * is alone (a pair is written as it is).
 */
const JSON_ESCAPE = /\\(?:\\|u0000|ud[89a-f][0-9a-f]{2})/g;

/** JSON text (from `JSON.stringify`) with the escapes jsonb refuses replaced. */
export function storableJson(json: string): string {
  // JSON.stringify writes `\u` only for those and for other control characters.
  if (!json.includes("\\u")) return json;
  return json.replace(JSON_ESCAPE, (found) => (found === "\\\\" ? found : REPLACEMENT));
}
