import type { TopLevelSpec } from "vega-lite";

/**
 * Vega-Lite spec → static SVG, in Node and without a DOM: vega-lite compiles the spec to Vega,
 * and a headless Vega view (`renderer: "none"`) writes the scene as SVG markup. Both libraries
 * are loaded here, on the first report, and not when the package is imported: they are large
 * and most users of spendkit never render a report.
 */
export async function renderSvg(spec: TopLevelSpec, id: string): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    return scopeIds(withTitles(await view.toSVG()), id);
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

/** Several SVGs share one page: an `id` (a clip path, a gradient) must not collide across them. */
function scopeIds(svg: string, scope: string): string {
  return svg
    .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${scope}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${scope}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${scope}-${id}"`);
}
