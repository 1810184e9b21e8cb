import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

// `pnpm sources:check` as the scheduled workflow runs it, against a loopback server standing in
// for the docs sites and GitHub's API: every recorded origin is mapped to it with --origin-map.
// How pages become text and how diffs are laid out is tested beside the code, in
// packages/codegen/test/sources.test.ts.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "scripts/sources-check.mjs");
const DOCS = "https://docs.example.test";
const GITHUB = "https://api.github.com";
const RECORDED = "a".repeat(40);
const NEWEST = "b".repeat(40);

const PAGE_TEXT = `Search things

{
  "id": 1,
  "name": "thing"
}
`;
const page = (text: string) =>
  `<!doctype html><html><head><title>x</title><script>track()</script></head><body>
<h1>${text.split("\n")[0]}</h1><pre><code>${text.split("\n").slice(2).join("\n")}</code></pre>
</body></html>`;

// What the server answers, per path (query included). A missing entry hangs: the request is
// held open until the checker's timeout gives up on it.
const routes = new Map<string, { status: number; body: string; headers?: Record<string, string> }>([
  ["/same", { status: 200, body: page(PAGE_TEXT), headers: { "content-type": "text/html" } }],
  [
    "/changed",
    {
      status: 200,
      body: page(PAGE_TEXT.replace('"thing"', '"renamed"')),
      headers: { "content-type": "text/html; charset=utf-8" },
    },
  ],
  ["/broken", { status: 500, body: "oops" }],
  ["/moved", { status: 301, body: "", headers: { location: `${DOCS}/elsewhere` } }],
  ["/repos/acme/protos/commits/HEAD", { status: 200, body: NEWEST }],
  ["/repos/acme/still/commits/HEAD", { status: 200, body: RECORDED }],
  [`/repos/acme/protos/contents/api/a.proto?ref=${RECORDED}`, { status: 200, body: "int64 x;\n" }],
  [`/repos/acme/protos/contents/api/a.proto?ref=${NEWEST}`, { status: 200, body: "string x;\n" }],
]);

let server: Server;
let loopback: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(`${request.headers.host}${request.url}`);
    const route = routes.get(request.url ?? "");
    if (!route) return; // hang
    response.writeHead(route.status, route.headers).end(route.body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  loopback = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pageSource = (path: string, operations = "listThings") =>
  `Source: ${DOCS}${path}\nSpec: acme.yaml\nOperations: ${operations}\n---\n${PAGE_TEXT}`;
const repositorySource = (repository: string) =>
  `Repository: ${repository}\nCommit: ${RECORDED}\nPaths: api/a.proto\nSpec: acme.yaml\nOperations: getThing\n---\nnotes\n`;

function sources(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "spendkit-sources-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command, its exit code and output; never throws on a non-zero exit. */
const check = (...args: string[]) =>
  new Promise<Run>((done) => {
    const argv = [CLI, "--dir", dir, "--timeout", "1000"];
    for (const origin of [DOCS, GITHUB]) argv.push("--origin-map", `${origin}=${loopback}`);
    execFile(process.execPath, [...argv, ...args], (error, stdout, stderr) =>
      done({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });

describe("pnpm sources:check", () => {
  it("exits 0 when every page and repository is as vendored, asking only the recorded URLs", async () => {
    sources({ "same.txt": pageSource("/same"), "still.txt": repositorySource("acme/still") });
    requests.length = 0;
    const run = await check();
    expect(run.stdout).toContain("sources: 0 changed, 2 unchanged, 0 unreachable");
    expect(run.code).toBe(0);
    expect(requests.sort()).toEqual(
      [`/same`, "/repos/acme/still/commits/HEAD"]
        .map((path) => `${loopback.slice(7)}${path}`)
        .sort(),
    );
  });

  it("exits 1 with a diff and the operations each changed source feeds, leaving files alone", async () => {
    const before = { "changed.txt": pageSource("/changed", "listThings, getThing") };
    sources({ ...before, "protos.txt": repositorySource("acme/protos") });
    const run = await check();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("sources: 2 changed, 0 unchanged, 0 unreachable");
    expect(run.stdout).toContain("feeds acme.yaml: listThings, getThing");
    expect(run.stdout).toContain("then: pnpm regenerate acme");
    expect(run.stdout).toContain(`--- a/changed.txt\n+++ ${DOCS}/changed\n@@ -2,5 +2,5 @@`);
    expect(run.stdout).toContain('-  "name": "thing"\n+  "name": "renamed"');
    expect(run.stdout).toContain(`newest commit: ${NEWEST}`);
    expect(run.stdout).toContain("-int64 x;\n+string x;");
    expect(readFileSync(join(dir, "changed.txt"), "utf8")).toBe(before["changed.txt"]);
  });

  it("--update rewrites the changed copies under their header, after which they compare equal", async () => {
    sources({
      "changed.txt": pageSource("/changed"),
      "protos.txt": repositorySource("acme/protos"),
    });
    expect((await check("--update")).code).toBe(1);
    expect(readFileSync(join(dir, "changed.txt"), "utf8")).toBe(
      pageSource("/changed").replace('"thing"', '"renamed"'),
    );
    expect(readFileSync(join(dir, "protos.txt"), "utf8")).toBe(
      repositorySource("acme/protos").replace(RECORDED, NEWEST),
    );
    // The page's copy is now its text, and acme/protos' newest commit the recorded one.
    const again = await check();
    expect(again.stdout).toContain("sources: 0 changed, 2 unchanged, 0 unreachable");
    expect(again.code).toBe(0);
  });

  it("exits 2 naming each source it could not reach, and still lists the changed ones", async () => {
    sources({
      "broken.txt": pageSource("/broken"),
      "hanging.txt": pageSource("/hanging"),
      "moved.txt": pageSource("/moved"),
      "changed.txt": pageSource("/changed"),
    });
    const run = await check();
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("sources: 1 changed, 0 unchanged, 3 unreachable");
    expect(run.stdout).toMatch(/unreachable +broken\.txt .*\n +could not check: HTTP 500/);
    expect(run.stdout).toMatch(
      /unreachable +hanging\.txt .*\n +could not check: no answer within 1000 ms/,
    );
    expect(run.stdout).toMatch(
      /could not check: redirected \(301\) to https:\/\/docs\.example\.test\/elsewhere/,
    );
    expect(run.stdout).toContain("+++ https://docs.example.test/changed");
    expect(run.stderr).toContain("could not check broken.txt, hanging.txt, moved.txt");
  });

  it("exits 2 when nothing listens at the origin", async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    sources({ "same.txt": pageSource("/same") });
    const run = await new Promise<Run>((done) =>
      execFile(
        process.execPath,
        [CLI, "--dir", dir, "--origin-map", `${DOCS}=http://127.0.0.1:${port}`],
        (error, stdout, stderr) =>
          done({ code: error ? (error.code as number) : 0, stdout, stderr }),
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("could not check: connection refused (ECONNREFUSED)");
  });

  it("exits 2, not 1, on anything else that stops it, such as a missing directory", async () => {
    sources({});
    const run = await check("--dir", join(dir, "missing"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("ENOENT");
  });

  it("exits 2, not 1, on a file without a header", async () => {
    sources({ "same.txt": pageSource("/same"), "bare.txt": PAGE_TEXT });
    const run = await check();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("bare.txt: no header");
  });
});
