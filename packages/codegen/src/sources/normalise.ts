// The vendored pages are text, not HTML: a docs site's markup, scripts and styling change far
// more often than what it says, and a diff of text is one a reviewer can read. Both sides of a
// comparison go through `normaliseText`, so formatting noise (spaces, line ends) never counts as
// a change; `normaliseText(normaliseText(x)) === normaliseText(x)`, so an updated copy compares
// equal to the page it came from on the next run.

const DROPPED_ELEMENTS = ["script", "style", "noscript", "template", "svg", "head"];

// Elements that stand apart as paragraphs in a rendered page, and those that only start a line.
const PARAGRAPH_ELEMENTS =
  "address|article|aside|blockquote|details|div|dl|fieldset|figcaption|figure|footer|form|" +
  "h[1-6]|header|hr|main|nav|ol|p|section|summary|table|ul";
const LINE_ELEMENTS = "br|dd|dt|tr";

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  middot: "·",
  bull: "•",
  copy: "©",
  reg: "®",
  trade: "™",
  times: "×",
  larr: "←",
  rarr: "→",
};

/** Decodes numeric and the common named character references; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X"
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text a reader sees in an HTML page, one block per line, code blocks kept as laid out. */
export function htmlToText(html: string): string {
  let text = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const element of DROPPED_ELEMENTS) {
    text = text.replace(new RegExp(`<${element}\\b[\\s\\S]*?</${element}\\s*>`, "gi"), "");
  }
  const rendered = text
    .split(/(<pre\b[\s\S]*?<\/pre\s*>)/i)
    .map((part) => (/^<pre\b/i.test(part) ? renderPreformatted(part) : renderFlow(part)))
    .join("");
  return normaliseText(decodeEntities(rendered));
}

/** Inside <pre>, line breaks and indentation are the content: only the tags go. */
const renderPreformatted = (pre: string) => `\n\n${pre.replace(/<[^>]*>/g, "")}\n\n`;

/** Outside <pre>, source line breaks are layout: paragraphs, list items and table rows make them. */
const renderFlow = (html: string) =>
  html
    .replace(/\s+/g, " ")
    .replace(/<li\b[^>]*>/gi, "\n• ")
    .replace(/<\/t[dh]\s*>/gi, " | ")
    .replace(new RegExp(`<(?:${LINE_ELEMENTS})\\b[^>]*>`, "gi"), "\n")
    .replace(new RegExp(`</?(?:${PARAGRAPH_ELEMENTS})\\b[^>]*>`, "gi"), "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/ *\n */g, "\n");

/**
 * Whitespace only: LF line ends, no-break spaces and tabs as spaces, no trailing spaces, runs of
 * spaces inside a line as one (indentation is kept: it is what lays out the JSON examples), at
 * most one blank line in a row, no blank lines at either end, one final newline.
 */
export function normaliseText(text: string): string {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u00a0\t]/g, " ")
    .split("\n")
    .map((line) => {
      const trimmed = line.trimEnd();
      const indent = /^ */.exec(trimmed)![0];
      return indent + trimmed.slice(indent.length).replace(/ {2,}/g, " ");
    });
  const kept: string[] = [];
  for (const line of lines) {
    if (line === "" && (kept.length === 0 || kept.at(-1) === "")) continue;
    kept.push(line);
  }
  while (kept.at(-1) === "") kept.pop();
  return kept.length === 0 ? "" : `${kept.join("\n")}\n`;
}

/** A fetched body as text: HTML rendered, anything else (plain text, Markdown) as it is. */
export function bodyToText(body: string, contentType: string): string {
  const isHtml = /html/i.test(contentType) || /^\s*<(?:!doctype|html)\b/i.test(body);
  return isHtml ? htmlToText(body) : normaliseText(body);
}
