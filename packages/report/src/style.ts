/**
 * The page's only stylesheet, inlined: system fonts (no web font to fetch), fluid charts and
 * scrolling tables for narrow windows, and print rules that keep a chart or a table on one page.
 */
export const STYLE = `
:root { color-scheme: light; --muted: #5f6b7a; --line: #d8dee6; --ok: #2f7d32; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; overflow-wrap: break-word; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232b; background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 12px; }
.muted { color: var(--muted); font-size: 0.9em; }
.code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; }
figure { margin: 12px 0; }
figure svg { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.9em; margin-top: 4px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); font-size: 0.9em; padding: 4px 0; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { font-weight: 600; border-bottom: 2px solid var(--line); white-space: nowrap; }
td.amount, td.number { text-align: right; white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid #1d232b; }
.status { padding: 1px 6px; border-radius: 4px; border: 1px solid currentColor; font-size: 0.85em; }
.status.matched { color: var(--ok); }
.status.mismatch { color: var(--bad); font-weight: 700; }
.status.unchecked { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.currency { color: var(--muted); font-size: 0.9em; }
details { margin: 2px 0; }
summary { cursor: pointer; font-variant-numeric: tabular-nums; }
ul.accounts { margin: 0; padding-left: 20px; }
@media (max-width: 640px) {
  body { font-size: 14px; }
  main { padding: 12px 10px 32px; }
  th, td { padding: 4px 5px; }
}
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, table, tr { break-inside: avoid; }
  .scroll { overflow: visible; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
