/**
 * HTML text from untrusted strings. Everything a provider's server sent (names, models,
 * descriptions, audit messages) goes through `escapeHtml` before it reaches the page; the `html`
 * tag escapes every interpolated value unless it is already `Html` made by this module.
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Markup that is already safe: built by `html`, or SVG written by Vega. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Text as HTML, safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  const value = String(text);
  // Most text has nothing to escape: a test is cheaper than a replace that finds nothing, and a
  // long history's page escapes hundreds of thousands of values.
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ENTITIES[c]!) : value;
}

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

type Value = Html | string | number | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** A template tag: literal parts are markup, interpolated values are escaped text. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

const LEDGER_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z$/;

/** An ISO instant as `2026-05-21 14:08 UTC`: minutes are what a reader compares. */
export function showTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  // The ledger's own format (ISO 8601 UTC) is shown as it is, to the minute; others are converted.
  return LEDGER_TIME.test(iso)
    ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
    : `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
