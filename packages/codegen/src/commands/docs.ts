// One HTML API reference per provider, built from its spec with Redocly:
//   specs/<name>.yaml → docs/api/<name>.html (+ docs/api/index.html listing them)
//
//   pnpm run docs [provider ...]     (`pnpm docs` without `run` is pnpm's own command)
//
// The files are build output (gitignored), self-contained (Redoc is inlined, no CDN, and its
// attribution logo drawn in place: see offline-logo.ts), and what the release workflow publishes
// to https://spendkit.github.io/spendkit/api/<name>.html.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { loadSpecs, REPO_ROOT } from "../spec/load.js";
import { inlineRedocLogo } from "./offline-logo.js";

const OUT = join(REPO_ROOT, "docs/api");
const wanted = process.argv.slice(2).filter((arg) => arg !== "--");
const all = loadSpecs(REPO_ROOT);
const specs = all.filter((s) => !wanted.length || wanted.includes(s.name));
if (wanted.length && specs.length !== wanted.length) {
  console.error(
    `docs: no spec for ${wanted.filter((w) => !specs.some((s) => s.name === w)).join(", ")}`,
  );
  process.exit(1);
}

const require = createRequire(import.meta.url);
const cliPackage = require.resolve("@redocly/cli/package.json");
const { bin } = require(cliPackage) as { bin: string | Record<string, string> };
const redocly = join(dirname(cliPackage), typeof bin === "string" ? bin : bin.redocly!);

mkdirSync(OUT, { recursive: true });
for (const spec of specs) {
  const title = `${spec.document.info?.title ?? spec.name} — @spendkit/${spec.name}`;
  const target = join(OUT, `${spec.name}.html`);
  const result = spawnSync(
    process.execPath,
    [redocly, "build-docs", spec.file, "--inlineBundle", "--title", title, "--output", target],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    },
  );
  if (result.status !== 0) {
    console.error(
      `docs: redocly could not build ${spec.fileName}:\n${result.stdout}${result.stderr}`,
    );
    process.exit(1);
  }
  writeFileSync(target, inlineRedocLogo(readFileSync(target, "utf8")));
  console.log(`wrote ${relative(REPO_ROOT, target)}`);
}

const items = all
  .map(
    (s) =>
      `      <li><a href="${s.name}.html">${escapeHtml(s.document.info?.title ?? s.name)}</a> — <code>@spendkit/${s.name}</code></li>`,
  )
  .join("\n");
writeFileSync(
  join(OUT, "index.html"),
  `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>spendkit API reference</title>
  </head>
  <body>
    <h1>spendkit API reference</h1>
    <p>One page per provider, built from the OpenAPI spec its client is generated from.</p>
    <ul>
${items}
    </ul>
  </body>
</html>
`,
);
console.log(`wrote ${relative(REPO_ROOT, join(OUT, "index.html"))}`);

function escapeHtml(text: string): string {
  const entities: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
  };
  return text.replace(/[&<>"]/g, (c) => entities[c] ?? c);
}
