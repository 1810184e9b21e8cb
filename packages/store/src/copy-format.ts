import type { BulkRow } from "./database.js";
import { StoreError } from "./errors.js";

/**
 * PostgreSQL's COPY text format, both ways: tab-separated fields, one row per line, `\N` for
 * null, and a backslash escape for the backslash, tab, newline and carriage return in a value.
 */

const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const BACKSLASH = 0x5c;
/** For each ASCII character, the letter its escape ends in (`\\t` for a tab), or 0: none. */
const ESCAPED_AS = new Uint8Array(0x80);
ESCAPED_AS[BACKSLASH] = BACKSLASH;
ESCAPED_AS[TAB] = 0x74; // t
ESCAPED_AS[NEWLINE] = 0x6e; // n
ESCAPED_AS[RETURN] = 0x72; // r
const NULL_FIELD = [BACKSLASH, 0x4e]; // \N

/**
 * Values this long or shorter are copied one character at a time (ids, times, amounts: most
 * fields); longer ones are handed to Buffer's UTF-8 writer, whose call costs more than such a
 * loop for a few characters and far less for a JSON record.
 */
const SHORT_FIELD = 32;

/**
 * Rows in COPY's text format, as the UTF-8 bytes a load sends: written straight into one buffer,
 * with no string per row or per batch in between. A first sync sends every row it reads through
 * here; building the text as strings first (one per field, row and batch) and then encoding it
 * cost more than the sync's own work on the rows.
 */
export function copyBytes(rows: readonly BulkRow[]): Buffer<ArrayBuffer> {
  const out = new CopyWriter(estimate(rows));
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out.byte(TAB);
      const value = row[i];
      if (value === null || value === undefined) out.bytes(NULL_FIELD);
      else out.field(value);
    }
    out.byte(NEWLINE);
  }
  return out.done();
}

/** The bytes rows of plain ASCII take: what most batches take exactly. */
function estimate(rows: readonly BulkRow[]): number {
  let bytes = 0;
  for (const row of rows) {
    bytes += row.length;
    for (const value of row) bytes += value?.length ?? 2;
  }
  return bytes;
}

class CopyWriter {
  #buffer: Buffer<ArrayBuffer>;
  #at = 0;

  constructor(capacity: number) {
    this.#buffer = Buffer.allocUnsafe(Math.max(capacity, 64));
  }

  byte(value: number): void {
    this.#reserve(1);
    this.#buffer[this.#at++] = value;
  }

  bytes(values: readonly number[]): void {
    this.#reserve(values.length);
    for (const value of values) this.#buffer[this.#at++] = value;
  }

  /** One value, escaped. A character takes at most 3 bytes in UTF-8, an escaped one 2. */
  field(value: string): void {
    this.#reserve(3 * value.length);
    if (value.length > SHORT_FIELD || !this.#ascii(value)) this.#utf8(value);
  }

  done(): Buffer<ArrayBuffer> {
    return this.#buffer.subarray(0, this.#at);
  }

  /** Writes `value` if it is all ASCII (escaping as it goes); otherwise writes nothing. */
  #ascii(value: string): boolean {
    const buffer = this.#buffer;
    const start = this.#at;
    let at = start;
    for (let i = 0; i < value.length; i++) {
      const char = value.charCodeAt(i);
      if (char >= 0x80) {
        this.#at = start;
        return false;
      }
      const escaped = ESCAPED_AS[char]!;
      if (escaped !== 0) {
        buffer[at++] = BACKSLASH;
        buffer[at++] = escaped;
      } else buffer[at++] = char;
    }
    this.#at = at;
    return true;
  }

  /**
   * Writes `value` in UTF-8 as it is, then looks for a byte that needs an escape (none of them
   * can be part of a multi-byte character): only a value that has one is written again, escaped.
   */
  #utf8(value: string): void {
    const start = this.#at;
    const end = start + this.#buffer.write(value, start, "utf8");
    const buffer = this.#buffer;
    for (let at = start; at < end; at++) {
      const byte = buffer[at]!;
      if (byte < 0x80 && ESCAPED_AS[byte] !== 0) {
        this.#at =
          start + this.#buffer.write(value.replace(COPY_SPECIAL, escapeCopy), start, "utf8");
        return;
      }
    }
    this.#at = end;
  }

  #reserve(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, this.#at + bytes));
    this.#buffer.copy(grown, 0, 0, this.#at);
    this.#buffer = grown;
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/g;
const escapeCopy = (char: string) => `\\${String.fromCharCode(ESCAPED_AS[char.charCodeAt(0)]!)}`;

/**
 * Rows in COPY's text format back to values: the inverse of `copyBytes`, for what `COPY … TO`
 * writes (`\N` for null; backslash escapes for the backslash, tab, newline, carriage return,
 * backspace, form feed and vertical tab; every other character as it is). Each row must have
 * `width` fields: anything else is not the statement's output, and throws.
 */
export function parseCopyText(text: string, width: number): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const fields: (string | null)[] = text.slice(start, end).split("\t");
    if (fields.length !== width) {
      throw new StoreError(
        `COPY output: a row of ${fields.length} fields where ${width} were expected`,
      );
    }
    for (let i = 0; i < width; i++) {
      const field = fields[i]!;
      if (field === "\\N") fields[i] = null;
      else if (field.includes("\\")) fields[i] = field.replace(COPY_ESCAPED, unescapeCopy);
    }
    rows.push(fields);
    start = end + 1;
  }
  return rows;
}

const COPY_ESCAPED = /\\(.)/gs;
const COPY_UNESCAPES: Record<string, string> = {
  "\\": "\\",
  t: "\t",
  n: "\n",
  r: "\r",
  b: "\b",
  f: "\f",
  v: "\v",
};
const unescapeCopy = (_: string, char: string) => {
  const value = COPY_UNESCAPES[char];
  if (value === undefined) throw new StoreError(`COPY output: an unknown escape \\${char}`);
  return value;
};
