// A repository source is not vendored: its header records a commit and paths. "Fetching" it
// means asking GitHub's REST API for the default branch's newest commit and, when that is not
// the recorded one, for the recorded files at both commits.

import { type FetchOptions, fetchText, UnreachableError } from "./fetch.js";

const GITHUB_API = "https://api.github.com";

export interface RepositoryFile {
  path: string;
  text: string;
}

/** The sha of the newest commit on the default branch (HEAD resolves to it). */
export async function latestCommit(repository: string, options: FetchOptions): Promise<string> {
  const url = `${GITHUB_API}/repos/${repository}/commits/HEAD`;
  const { body } = await fetchText(url, options, { accept: "application/vnd.github.sha" });
  const sha = body.trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw new UnreachableError(url, `answered "${sha.slice(0, 80)}" instead of a commit sha`);
  }
  return sha;
}

/** The files at one commit, as raw text (the contents API's raw media type). */
export function filesAt(
  repository: string,
  commit: string,
  paths: string[],
  options: FetchOptions,
): Promise<RepositoryFile[]> {
  return Promise.all(
    paths.map(async (path) => {
      const url = `${GITHUB_API}/repos/${repository}/contents/${path}?ref=${commit}`;
      const { body } = await fetchText(url, options, { accept: "application/vnd.github.raw" });
      return { path, text: body };
    }),
  );
}
