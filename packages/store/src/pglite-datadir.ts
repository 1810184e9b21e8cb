import { readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";

/**
 * The database files of a new, empty PGlite data directory, as PGlite's own initdb makes them,
 * written by this package's build (`pglite-template.ts`) for the PGlite it pins. One level above
 * `src/` and `dist/` alike, so that the sources under test find it as the build does.
 */
export const DATA_DIR_TEMPLATE = fileURLToPath(
  new URL("../template/pgdata.tar.gz", import.meta.url),
);

/** A data directory being made, named by the process making it. */
const MAKING = "pgdata.making-";

/**
 * Makes `<location>/pgdata` for a new store, under the store's lock. The files are made in a
 * directory of their own and renamed into place, so that a process killed meanwhile leaves no
 * half-made store, and what such a process left is removed first.
 *
 * They come from the template when it loads. PGlite's initdb runs a second PostgreSQL in the
 * same process: about 800 MiB at its peak and 3 s on a machine where loading the template takes
 * under 400 MiB and 1 s. A store's first command is often its first sync, whose own peak is
 * below that. A template that does not load (damaged, or written by another PGlite) gives way to
 * initdb, as does a build without one.
 */
export async function makeDataDir(
  pglite: typeof PGlite,
  location: string,
  startParams: readonly string[],
  template: string = DATA_DIR_TEMPLATE,
): Promise<void> {
  for (const name of await readdir(location)) {
    if (name.startsWith(MAKING)) await rm(join(location, name), { recursive: true, force: true });
  }
  const making = join(location, `${MAKING}${process.pid}`);
  const make = async (files?: Blob) => {
    const db = await pglite.create({
      dataDir: making,
      startParams: [...startParams],
      ...(files ? { loadDataDir: files } : {}),
    });
    await db.close();
  };
  const files = await readTemplate(template);
  try {
    await make(files);
  } catch (error) {
    if (!files) throw error;
    await rm(making, { recursive: true, force: true });
    await make();
  }
  await rename(making, join(location, "pgdata"));
}

async function readTemplate(path: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(path)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
