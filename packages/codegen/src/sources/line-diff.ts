// A unified diff of two texts, line by line, for a reviewer to read in a terminal or a pull
// request. Pages are a few hundred lines, so the plain longest-common-subsequence table
// (lines × lines) is small enough and gives the minimal diff.

type Edit = { kind: " " | "-" | "+"; line: string };

const CONTEXT = 3;

/** The edit script turning `before` into `after`: kept, removed and added lines in order. */
export function lineEdits(before: string[], after: string[]): Edit[] {
  const width = after.length + 1;
  // common[i * width + j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = new Uint32Array((before.length + 1) * width);
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      common[i * width + j] =
        before[i] === after[j]
          ? common[(i + 1) * width + j + 1]! + 1
          : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      edits.push({ kind: " ", line: before[i++]! });
      j++;
    } else if (
      j === after.length ||
      (i < before.length && common[(i + 1) * width + j]! >= common[i * width + j + 1]!)
    ) {
      edits.push({ kind: "-", line: before[i++]! });
    } else {
      edits.push({ kind: "+", line: after[j++]! });
    }
  }
  return edits;
}

const lines = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

/** `diff -u` output (no "\ No newline" markers: both sides are normalised texts), or "" if equal. */
export function unifiedDiff(before: string, after: string, oldName: string, newName: string) {
  const edits = lineEdits(lines(before), lines(after));
  const changed = edits.flatMap((edit, index) => (edit.kind === " " ? [] : [index]));
  if (changed.length === 0) return "";
  // Group changes whose context windows touch into one hunk.
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const last = hunks.at(-1);
    if (last && index - last[1] <= 2 * CONTEXT) last[1] = index;
    else hunks.push([index, index]);
  }
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const [first, last] of hunks) {
    const start = Math.max(0, first - CONTEXT);
    const end = Math.min(edits.length, last + CONTEXT + 1);
    const before = edits.slice(0, start);
    const oldStart = before.filter((edit) => edit.kind !== "+").length;
    const newStart = before.filter((edit) => edit.kind !== "-").length;
    const body = edits.slice(start, end);
    const oldCount = body.filter((edit) => edit.kind !== "+").length;
    const newCount = body.filter((edit) => edit.kind !== "-").length;
    // diff -u numbers an empty range by the line before it.
    const range = (from: number, count: number) => `${count === 0 ? from : from + 1},${count}`;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const edit of body) out.push(`${edit.kind}${edit.line}`);
  }
  return `${out.join("\n")}\n`;
}
