/** Helpers for text meant for a terminal. */

/** Replaces control characters (escape sequences included) so provider text cannot drive the terminal. */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
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
