import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError } from "./args.js";
import { AtomicFile } from "./atomic.js";
import type { CliIO } from "./io.js";

/**
 * Opens `--out FILE` for an atomic write, or fails with bad usage (exit 2) before any request
 * when the place cannot take the file: a directory or some other non-file of that name, a
 * missing or read-only directory. The messages never repeat the path (it is an argument).
 */
export async function openOut(io: CliIO, out: string): Promise<AtomicFile> {
  if (out === "") throw new UsageError("--out: give a file name");
  const path = resolve(io.cwd, out);
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile()) {
    throw new UsageError(
      `--out: ${existing.isDirectory() ? "names a directory" : "names something that is not a regular file"}; give a file name`,
    );
  }
  const directory = dirname(path);
  const parent = await stat(directory).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError("--out: its directory does not exist");
  try {
    await access(directory, constants.W_OK);
    if (existing) await access(path, constants.W_OK);
    return await AtomicFile.create(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      `--out: cannot write there${typeof code === "string" ? ` (${code})` : ""}`,
    );
  }
}
