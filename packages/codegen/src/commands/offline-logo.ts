// Redoc 3 draws its "API docs by Redocly" attribution as an <img> loaded from Redocly's CDN, with
// no option to leave it out: the one request a page of the API reference would make. The page is
// meant to open offline (and from a file, with nothing fetched), so each logo URL is replaced by an
// inline SVG that reads "Redocly": the attribution stays, and nothing is loaded.

/** The URLs of the logo in Redoc's bundle: the full one and the collapsed sidebar's. */
const LOGO_URLS = [
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg",
  "https://cdn.redoc.ly/redoc/logo-mini.svg",
] as const;

function wordmark(width: number, text: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" viewBox="0 0 ${width} 20"><text x="0" y="15" font-family="sans-serif" font-size="14" font-weight="600" fill="currentColor">${text}</text></svg>`;
  // Percent-encoded, so the URI holds no quote, backtick or "${" of the JavaScript around it.
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** `html` (a page built by Redocly) with each logo URL replaced by an inline image. */
export function inlineRedocLogo(html: string): string {
  const [full, mini] = LOGO_URLS;
  return html.replaceAll(full, wordmark(64, "Redocly")).replaceAll(mini, wordmark(20, "R"));
}
