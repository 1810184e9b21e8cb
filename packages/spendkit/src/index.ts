// spendkit: the application — the `spendkit` command, with its store, reports and (coming)
// service. Everything a program imports is the library, @spendkit/ledger, re-exported here so
// that code written against `spendkit` keeps working; a program that needs only the ledger
// should depend on @spendkit/ledger and install none of the database or chart engines.
export * from "@spendkit/ledger";
