// The header every file in specs/sources/ starts with: where its text came from and which spec
// operations it feeds. It is the one record of both, so the checker, the pull request it leads
// to and the README never disagree. Format (documented in specs/sources/README.md):
//
//   Source: <url>                    a page, vendored below the header as normalised text
//   Repository: <owner>/<name>       or files of a public GitHub repository, not vendored:
//   Commit: <sha>                      the commit the spec was checked against
//   Paths: <path>, <path>              the files at that commit
//   Spec: <file>.yaml
//   Operations: <operationId>, <operationId>
//   ---
//   <body>

const SEPARATOR = "---";

export interface PageOrigin {
  kind: "page";
  url: string;
}

export interface RepositoryOrigin {
  kind: "repository";
  repository: string;
  commit: string;
  paths: string[];
}

export interface SourceHeader {
  origin: PageOrigin | RepositoryOrigin;
  spec: string;
  operations: string[];
}

export interface SourceFile {
  header: SourceHeader;
  /** The header lines as written, so that an update keeps them byte for byte. */
  headerLines: string[];
  body: string;
}

const list = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** Splits a vendored file into its header and its body; throws, naming the file, when malformed. */
export function parseSourceFile(name: string, text: string): SourceFile {
  const lines = text.split("\n");
  const end = lines.indexOf(SEPARATOR);
  if (end < 1) throw new Error(`${name}: no header (lines "Key: value" ended by "${SEPARATOR}")`);
  const headerLines = lines.slice(0, end);
  const fields = new Map<string, string>();
  for (const line of headerLines) {
    const match = /^([A-Z][A-Za-z]*): *(.*)$/.exec(line);
    if (!match) throw new Error(`${name}: header line is not "Key: value": ${line}`);
    fields.set(match[1]!, match[2]!.trim());
  }
  const required = (key: string) => {
    const value = fields.get(key);
    if (!value) throw new Error(`${name}: header has no ${key}`);
    return value;
  };
  const origin: SourceHeader["origin"] = fields.has("Repository")
    ? {
        kind: "repository",
        repository: required("Repository"),
        commit: required("Commit"),
        paths: list(required("Paths")),
      }
    : { kind: "page", url: required("Source") };
  return {
    header: { origin, spec: required("Spec"), operations: list(required("Operations")) },
    headerLines,
    body: lines.slice(end + 1).join("\n"),
  };
}

/** The file again, with its header lines and a new body. */
export const formatSourceFile = (headerLines: string[], body: string) =>
  [...headerLines, SEPARATOR, body].join("\n");

/** The header with its Commit line moved to another commit (repository sources). */
export const withCommit = (headerLines: string[], commit: string) =>
  headerLines.map((line) => (line.startsWith("Commit:") ? `Commit: ${commit}` : line));
