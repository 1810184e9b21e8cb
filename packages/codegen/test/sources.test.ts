import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatSourceFile, parseSourceFile, withCommit } from "../src/sources/header.js";
import { lineEdits, unifiedDiff } from "../src/sources/line-diff.js";
import { bodyToText, decodeEntities, htmlToText, normaliseText } from "../src/sources/normalise.js";
import { REPO_ROOT } from "../src/spec/load.js";

// The pieces of `pnpm sources:check`; the command itself, against a loopback server, is tested
// in scripts/test/sources-check.test.ts.
const SOURCES = join(REPO_ROOT, "specs/sources");

describe("normaliseText", () => {
  it("evens out line ends, spaces and blank lines, and keeps indentation", () => {
    const text = '\n\r\nTitle  \t here \r\n\n\n\n{\n    "a":\u00a0 1\n}   \n\n';
    expect(normaliseText(text)).toBe('Title here\n\n{\n    "a": 1\n}\n');
  });

  it("is idempotent, on the vendored sources too", () => {
    const samples = ["", "\n\n", "a\n\n\n b  c \n", "  \u00a0x\t\ty  \r\n\r\n\r\nz"];
    for (const name of readdirSync(SOURCES).filter((file) => file.endsWith(".txt"))) {
      samples.push(parseSourceFile(name, readFileSync(join(SOURCES, name), "utf8")).body);
    }
    for (const sample of samples) {
      const once = normaliseText(sample);
      expect(normaliseText(once)).toBe(once);
    }
  });
});

describe("htmlToText", () => {
  it("drops scripts, styles and comments, and sets paragraphs apart and list items on lines", () => {
    const html = `<html><head><style>p{color:red}</style><title>T</title></head><body>
      <script type="module">alert("<p>no</p>")</script><!-- <p>hidden</p> -->
      <nav><a href="/">Docs</a></nav>
      <h1>Search   <em>billings</em></h1>
      <p>Returns
         paginated results.<br>Free.</p>
      <ul><li>one</li><li>two</li></ul>
      <table><tr><th>Field</th><th>Type</th></tr><tr><td>page</td><td>integer</td></tr></table>
    </body></html>`;
    expect(htmlToText(html)).toBe(
      "Docs\n\nSearch billings\n\nReturns paginated results.\nFree.\n\n• one\n• two\n\n" +
        "Field | Type |\npage | integer |\n",
    );
  });

  it("keeps the layout of code blocks and decodes entities once", () => {
    const html = `<p>Example:</p><pre><code><span>{</span>\n  <span>"a"</span>: <span>"&lt;b&gt; &amp;amp;"</span>\n}</code></pre>`;
    expect(htmlToText(html)).toBe('Example:\n\n{\n  "a": "<b> &amp;"\n}\n');
  });

  it("is stable: the text of a page, normalised again, is unchanged", () => {
    const text = htmlToText(
      "<div>a&nbsp;&nbsp;b</div><pre>  x\n\n\n  y  </pre><p>&#x4e2d;&#25991;</p>",
    );
    expect(text).toBe("a b\n\n  x\n\n  y\n\n中文\n");
    expect(normaliseText(text)).toBe(text);
  });
});

describe("decodeEntities", () => {
  it("decodes numeric and named references and leaves unknown ones", () => {
    expect(decodeEntities("&#39;&#x27;&quot;&mdash;&unknown;&#0;")).toBe("''\"—&unknown;&#0;");
  });
});

describe("bodyToText", () => {
  it("renders HTML by content type or doctype, and takes other text as it is", () => {
    expect(bodyToText("<p>a</p><p>b</p>", "text/html; charset=utf-8")).toBe("a\n\nb\n");
    expect(bodyToText("<!DOCTYPE html><p>a</p>", "")).toBe("a\n");
    expect(bodyToText("# Title\n<p>kept</p>\n", "text/markdown")).toBe("# Title\n<p>kept</p>\n");
  });
});

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", "old", "new")).toBe("");
  });

  it("prints hunks with three lines of context, one per group of changes", () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n";
    const after = before.replace("2\n", "two\n").replace("8\n", "").replace("15\n", "15\nnew\n");
    expect(unifiedDiff(before, after, "old", "new")).toBe(
      [
        "--- old",
        "+++ new",
        "@@ -1,11 +1,10 @@",
        " 1",
        "-2",
        "+two",
        " 3",
        " 4",
        " 5",
        " 6",
        " 7",
        "-8",
        " 9",
        " 10",
        " 11",
        "@@ -13,4 +12,5 @@",
        " 13",
        " 14",
        " 15",
        "+new",
        " 16",
        "",
      ].join("\n"),
    );
  });

  it("numbers an empty side by the line before it", () => {
    expect(unifiedDiff("", "a\n", "old", "new")).toBe("--- old\n+++ new\n@@ -0,0 +1,1 @@\n+a\n");
  });

  it("gives an edit script that turns one text into the other, keeping a longest common part", () => {
    const before = ["a", "b", "c", "a", "b", "b", "a"];
    const after = ["c", "b", "a", "b", "a", "c"];
    const edits = lineEdits(before, after);
    expect(edits.filter((edit) => edit.kind !== "+").map((edit) => edit.line)).toEqual(before);
    expect(edits.filter((edit) => edit.kind !== "-").map((edit) => edit.line)).toEqual(after);
    expect(edits.filter((edit) => edit.kind === " ")).toHaveLength(4);
  });
});

describe("source headers", () => {
  it("parse a page's URL and a repository's commit and paths, with their operations", () => {
    const page = parseSourceFile(
      "p.txt",
      "Source: https://docs.example.test/a\nSpec: acme.yaml\nOperations: listA, getA\n---\nbody\n---\n",
    );
    expect(page.header).toEqual({
      origin: { kind: "page", url: "https://docs.example.test/a" },
      spec: "acme.yaml",
      operations: ["listA", "getA"],
    });
    expect(page.body).toBe("body\n---\n");
    const repository = parseSourceFile(
      "r.txt",
      "Repository: acme/protos\nCommit: abc\nPaths: a.proto, b/c.proto\nSpec: acme.yaml\nOperations: getA\n---\n",
    );
    expect(repository.header.origin).toEqual({
      kind: "repository",
      repository: "acme/protos",
      commit: "abc",
      paths: ["a.proto", "b/c.proto"],
    });
    expect(formatSourceFile(withCommit(repository.headerLines, "def"), "notes\n")).toBe(
      "Repository: acme/protos\nCommit: def\nPaths: a.proto, b/c.proto\nSpec: acme.yaml\nOperations: getA\n---\nnotes\n",
    );
  });

  it("reject a file without a header or with a field missing, naming the file", () => {
    expect(() => parseSourceFile("bare.txt", "text\n")).toThrow("bare.txt: no header");
    expect(() => parseSourceFile("x.txt", "Source: https://a.test\nSpec: a.yaml\n---\n")).toThrow(
      "x.txt: header has no Operations",
    );
    expect(() => parseSourceFile("y.txt", "Source: https://a.test\nnot a field\n---\n")).toThrow(
      'y.txt: header line is not "Key: value"',
    );
  });

  it("are in every vendored source, naming operations its spec has", () => {
    for (const name of readdirSync(SOURCES).filter((file) => file.endsWith(".txt"))) {
      const { header } = parseSourceFile(name, readFileSync(join(SOURCES, name), "utf8"));
      const spec = readFileSync(join(REPO_ROOT, "specs", header.spec), "utf8");
      for (const operation of header.operations) {
        expect(spec, `${name}: ${operation}`).toContain(`operationId: ${operation}\n`);
      }
    }
  });
});
