// Headless Chromium for tests, offline: the browser binary ships in the @sparticuz/chromium npm
// package (nothing is downloaded), every request is intercepted, and only the page's own file
// (and the data:/blob: URLs it makes itself) is served; anything else is aborted and recorded.
import { lstat, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import chromium from "@sparticuz/chromium";
import puppeteer, { type Browser, type ConsoleMessage, type Page } from "puppeteer-core";

export type { Browser };

export interface OfflinePage {
  page: Page;
  /** Requests for anything but the page itself and data:/blob: URLs, each aborted. */
  blocked: string[];
  /** Console errors and uncaught page errors. */
  errors: { text: string; url: string | undefined }[];
}

/**
 * @sparticuz/chromium unpacks the browser into the temporary directory (`$TMPDIR/chromium`) and
 * reuses whatever is there: a copy another user unpacked (root, then a non-root user, on one
 * machine) cannot be run. The browser is unpacked once per user, into a directory of this user's
 * own (mode 0700, checked to be a real directory this user owns).
 */
async function executablePath(): Promise<string> {
  const uid = process.getuid?.() ?? 0;
  const dir = join(tmpdir(), `spendkit-chromium-${uid}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stats = await lstat(dir);
  if (!stats.isDirectory() || stats.uid !== uid) {
    throw new Error(`${dir} is not a directory of this user's: remove it and run again`);
  }
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await chromium.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: await executablePath(),
    headless: true,
    args: [
      ...chromium.args,
      // Tests run as root in CI; this machine's network is closed, so nothing phones home.
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Opens `url` (a file: URL) with request interception; resolves once the page has loaded. */
export async function openOffline(
  browser: Browser,
  url: string,
  options: { javaScript?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<OfflinePage> {
  const page = await browser.newPage();
  const blocked: string[] = [];
  const errors: OfflinePage["errors"] = [];
  await page.setViewport(options.viewport ?? { width: 1024, height: 800 });
  await page.setJavaScriptEnabled(options.javaScript ?? true);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const target = request.url();
    if (target === url || /^(data|blob):/.test(target)) {
      void request.continue();
    } else {
      blocked.push(target);
      void request.abort("blockedbyclient");
    }
  });
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error")
      errors.push({ text: message.text(), url: message.location().url });
  });
  page.on("pageerror", (error) => {
    errors.push({ text: String(error), url: undefined });
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, blocked, errors };
}
