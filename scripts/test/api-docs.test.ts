// The HTML API reference (`pnpm run docs`: Redocly, one page per spec) opened in a real headless
// Chromium, offline, with every request intercepted.
//
// Redoc 3 always renders its "API docs by Redocly" attribution as an <img> from cdn.redoc.ly
// (there is no option to leave it out, and the image hides itself when it fails to load). That
// is the one request the pages may make, and the one console error (its failed load) they may
// log; anything else fails this test.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pnpmCommand } from "../../packages/codegen/src/pnpm.js";
import {
  type Browser,
  launchBrowser,
  openOffline,
} from "../../packages/report/test/offline-browser.js";

const exec = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const OUT = join(ROOT, "docs/api");
const SPECS = readdirSync(join(ROOT, "specs"))
  .filter((file) => file.endsWith(".yaml"))
  .map((file) => file.slice(0, -".yaml".length));
const REDOCLY_LOGO = /^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/;

let browser: Browser;

beforeAll(async () => {
  const [command, args] = pnpmCommand(["run", "docs"]);
  const [launched] = await Promise.all([
    launchBrowser(),
    exec(command, args, { cwd: ROOT, maxBuffer: 16 << 20 }).catch((error) => {
      throw new Error(`pnpm run docs failed:\n${error.stdout}${error.stderr}`);
    }),
  ]);
  browser = launched;
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

describe("the API reference", () => {
  it.each(SPECS)("%s.html opens offline without an error", async (name) => {
    const url = pathToFileURL(join(OUT, `${name}.html`)).href;
    const { page, blocked, errors } = await openOffline(browser, url);
    const spec = parse(readFileSync(join(ROOT, "specs", `${name}.yaml`), "utf8"));
    const expected = [spec.info.title, ...Object.keys(spec.paths)];
    // Redoc renders on the client: wait until the title and every path are on the page.
    const shown = await page
      .waitForFunction(
        (texts: string[]) => texts.every((text) => document.body.textContent.includes(text)),
        { timeout: 60_000 },
        expected,
      )
      .then(
        () => true,
        () => page.evaluate(() => document.body.textContent),
      );
    await page.close();
    expect(shown, `the page shows ${expected.join(", ")}`).toBe(true);
    for (const request of blocked) expect(request).toMatch(REDOCLY_LOGO);
    for (const error of errors) {
      expect(error.text).toMatch(/^Failed to load resource: net::ERR_BLOCKED_BY_CLIENT\b/);
      expect(error.url).toMatch(REDOCLY_LOGO);
    }
  });

  it("index.html lists every page and loads nothing", async () => {
    const { page, blocked, errors } = await openOffline(
      browser,
      pathToFileURL(join(OUT, "index.html")).href,
    );
    const links = await page.$$eval("a[href]", (nodes) => nodes.map((a) => a.getAttribute("href")));
    await page.close();
    expect(links.sort()).toEqual(SPECS.map((s) => `${s}.html`).sort());
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });
});
