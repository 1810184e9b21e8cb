import type { TopLevelSpec } from "vega-lite";

/**
 * Vega-Lite spec → static SVG, in Node and without a DOM: vega-lite compiles the spec to Vega,
 * and a headless Vega view (`renderer: "none"`) writes the scene as SVG markup. Both libraries
 * are loaded here, on the first report, and not when the package is imported: they are large
 * and most users of spendkit never render a report.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    return withTitles(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega writes each mark's `description` as an aria-label, which screen readers read but a mouse
 * does not show. A `<title>` child makes it the tooltip too, with the same already-escaped text,
 * and without any script.
 */
function withTitles(svg: string): string {
  return svg.replace(
    /<(path|line|rect|circle|text)\b([^>]*?\saria-label="([^"]*)"[^>]*?)\/>/g,
    (_, tag: string, attributes: string, label: string) =>
      `<${tag}${attributes}><title>${label}</title></${tag}>`,
  );
}
