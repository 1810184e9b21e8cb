// One source against where it came from: the page at its URL, or the repository's newest commit.
// The result carries everything the report and an update need, so neither fetches again.

import type { FetchOptions } from "./fetch.js";
import { fetchText, UnreachableError } from "./fetch.js";
import {
  formatSourceFile,
  type RepositoryOrigin,
  type SourceFile,
  type SourceHeader,
  withCommit,
} from "./header.js";
import { unifiedDiff } from "./line-diff.js";
import { bodyToText, normaliseText } from "./normalise.js";
import { filesAt, latestCommit } from "./repository.js";

interface Checked {
  /** The file's name in the sources directory. */
  name: string;
  header: SourceHeader;
}

export type SourceResult =
  | (Checked & { status: "unchanged"; note?: string })
  | (Checked & { status: "changed"; diff: string; updatedFile: string; newCommit?: string })
  | (Checked & { status: "unreachable"; reason: string });

export async function checkSource(
  name: string,
  file: SourceFile,
  options: FetchOptions,
): Promise<SourceResult> {
  const checked = { name, header: file.header };
  try {
    const { origin } = file.header;
    return origin.kind === "page"
      ? await checkPage(checked, file, origin.url, options)
      : await checkRepository(checked, file, origin, options);
  } catch (error) {
    if (!(error instanceof UnreachableError)) throw error;
    // A page's report line shows its URL already; a repository's requests are other URLs.
    const isOrigin = file.header.origin.kind === "page" && file.header.origin.url === error.url;
    return { ...checked, status: "unreachable", reason: isOrigin ? error.reason : error.message };
  }
}

async function checkPage(
  checked: Checked,
  file: SourceFile,
  url: string,
  options: FetchOptions,
): Promise<SourceResult> {
  const { body, contentType } = await fetchText(url, options);
  const live = bodyToText(body, contentType);
  const diff = unifiedDiff(normaliseText(file.body), live, `a/${checked.name}`, url);
  if (diff === "") return { ...checked, status: "unchanged" };
  return {
    ...checked,
    status: "changed",
    diff,
    updatedFile: formatSourceFile(file.headerLines, live),
  };
}

async function checkRepository(
  checked: Checked,
  file: SourceFile,
  origin: RepositoryOrigin,
  options: FetchOptions,
): Promise<SourceResult> {
  const newest = await latestCommit(origin.repository, options);
  if (newest === origin.commit) return { ...checked, status: "unchanged" };
  const [recorded, current] = await Promise.all([
    filesAt(origin.repository, origin.commit, origin.paths, options),
    filesAt(origin.repository, newest, origin.paths, options),
  ]);
  const diff = recorded
    .map((file, index) =>
      unifiedDiff(
        file.text,
        current[index]!.text,
        `${origin.repository}@${origin.commit.slice(0, 12)}/${file.path}`,
        `${origin.repository}@${newest.slice(0, 12)}/${file.path}`,
      ),
    )
    .join("");
  if (diff === "") {
    return {
      ...checked,
      status: "unchanged",
      note: `newest commit ${newest} leaves the paths as they were`,
    };
  }
  return {
    ...checked,
    status: "changed",
    diff,
    newCommit: newest,
    updatedFile: formatSourceFile(withCommit(file.headerLines, newest), file.body),
  };
}
