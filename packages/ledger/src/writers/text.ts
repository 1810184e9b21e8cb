/** Helpers for text meant for a terminal. */

/**
 * Replaces control characters so that provider text cannot drive the terminal: C0 and C1
 * controls (ESC and CSI start every escape sequence), and the bidirectional overrides that make
 * text read differently from what it is.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ");
}

/** Cuts text to `width` characters, marking the cut with "…". */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** Left-aligns in `width` columns (never cuts). */
export function padEnd(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : text + " ".repeat(width - length);
}

/** Right-aligns in `width` columns (never cuts). */
export function padStart(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : " ".repeat(width - length) + text;
}

/** Renders rows as aligned columns; `right` marks the columns aligned to the right. */
export function columns(
  rows: readonly (readonly string[])[],
  right: readonly boolean[] = [],
): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (right[i] ? padStart(cell, widths[i]!) : padEnd(cell, widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}
