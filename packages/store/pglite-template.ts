// Part of this package's build: writes template/pgdata.tar.gz, the files of a new, empty PGlite
// data directory as the pinned PGlite's own initdb makes them. A new embedded store is made from
// them (src/pglite-datadir.ts), which spares each new store initdb's memory and time.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { DATA_DIR_TEMPLATE } from "./src/pglite-datadir.js";

const db = await PGlite.create();
const files = await db.dumpDataDir("gzip");
await db.close();
await mkdir(dirname(DATA_DIR_TEMPLATE), { recursive: true });
await writeFile(DATA_DIR_TEMPLATE, Buffer.from(await files.arrayBuffer()));
console.log(`pglite-template: ${DATA_DIR_TEMPLATE} (${files.size} bytes)`);
