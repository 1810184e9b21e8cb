import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, rmSync, type WriteStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Temp files not yet committed or aborted, removed on Ctrl-C / SIGTERM (see signals.ts). */
export const pendingTempFiles = new Set<string>();

/**
 * A file written atomically: everything goes to a temp file in the same directory (so that the
 * rename stays on one file system), which replaces the target only on `commit`, after an fsync.
 * Until then the target is untouched: readers see the old file or the complete new one, never a
 * partial one. `abort` (or a failed commit) removes the temp file.
 */
export class AtomicFile {
  readonly path: string;
  readonly tempPath: string;
  readonly stream: WriteStream;
  #settled = false;

  private constructor(path: string, tempPath: string, stream: WriteStream) {
    this.path = path;
    this.tempPath = tempPath;
    this.stream = stream;
  }

  /** Creates the temp file; rejects (with nothing left behind) when the directory is not writable. */
  static async create(path: string): Promise<AtomicFile> {
    const tempPath = join(
      dirname(path),
      `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
    );
    const stream = createWriteStream(tempPath, { flags: "wx" });
    pendingTempFiles.add(tempPath);
    try {
      await once(stream, "open");
    } catch (error) {
      pendingTempFiles.delete(tempPath);
      throw error;
    }
    // Errors are surfaced by commit(); without a listener they would crash the process.
    stream.on("error", () => {});
    return new AtomicFile(path, tempPath, stream);
  }

  async commit(): Promise<void> {
    if (this.#settled) return;
    try {
      if (this.stream.errored) throw this.stream.errored;
      await new Promise<void>((resolve, reject) => {
        this.stream.once("error", reject);
        this.stream.end(() => resolve());
      });
      const handle = await open(this.tempPath, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(this.tempPath, this.path);
      this.#settled = true;
      pendingTempFiles.delete(this.tempPath);
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    this.stream.destroy();
    await rm(this.tempPath, { force: true });
    pendingTempFiles.delete(this.tempPath);
  }
}

/** Synchronous last resort on a signal: removes every temp file still pending. */
export function removePendingTempFiles(): void {
  for (const path of pendingTempFiles) {
    try {
      rmSync(path, { force: true });
    } catch {
      // nothing more can be done while exiting
    }
  }
  pendingTempFiles.clear();
}
