// The floor of a whole-history report, as a process of its own: start, open the store, run the
// SQL aggregates a report needs, close — what no implementation of the report can avoid (the
// page aside). The report is timed as a whole process (start-up and PGlite's opening of its
// files included: about a second on PGlite), so its floor is too; the SQL's own time is printed
// for the table.
// Usage: node report-floor.mjs STORE DB — STORE the URL of the store package's built module
// (imported as it is, so that its engines resolve from its own package), DB a directory or a
// postgres:// URL.
type StoreModule = typeof import("../../packages/store/src/index.js");

const SQL = [
  `SELECT (time AT TIME ZONE 'UTC')::date, sum(amount) FROM entries
   WHERE kind <> 'topup' GROUP BY 1`,
  "SELECT model, sum(amount) FROM entries WHERE model IS NOT NULL GROUP BY 1",
  "SELECT time, amount, reference FROM entries WHERE kind = 'topup' ORDER BY time",
  `SELECT DISTINCT ON ((time AT TIME ZONE 'UTC')::date) time, balance_after FROM entries
   WHERE balance_after IS NOT NULL
   ORDER BY (time AT TIME ZONE 'UTC')::date, time DESC, length(id) DESC, id DESC`,
];

const [storeModule, db] = process.argv.slice(2);
if (!storeModule || !db) throw new Error("usage: report-floor STORE DB");
const { openStore, resolveLocation }: StoreModule = await import(storeModule);
const store = await openStore(resolveLocation(db, {}, process.cwd()));
try {
  const start = performance.now();
  for (const sql of SQL) await store.db.query(sql);
  process.stdout.write(JSON.stringify({ sqlMs: performance.now() - start }));
} finally {
  await store.close();
}
