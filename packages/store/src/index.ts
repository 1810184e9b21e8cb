// @spendkit/store: the persistent ledger. PGlite (embedded) or PostgreSQL, one SQL dialect.

export {
  claimDueDeliveries,
  conditionHolds,
  conditionRecovered,
  type DueDelivery,
  type FiredAlert,
  type Firing,
  firedIds,
  listFiredAlerts,
  recordDelivery,
  recordFiring,
} from "./alert-state.js";
export {
  type AuditEvent,
  type AuditKind,
  listAuditEvents,
  type NewAuditEvent,
  recordAuditEvent,
  resolveAuditEvents,
} from "./audit.js";
export { type CopiedTable, type CopyOptions, type CopyProgress, copyStore } from "./copy.js";
export type { Database, Queryable } from "./database.js";
export {
  type CopyRefusal,
  CopyRefusedError,
  CurrencyError,
  EntryRefusedError,
  StoreBusyError,
  StoreError,
} from "./errors.js";
export {
  defaultDataDir,
  describeLocation,
  resolveLocation,
  type StoreLocation,
} from "./location.js";
export { LockFile } from "./lockfile.js";
export { MIGRATIONS, migrate } from "./migrations.js";
export { describeError, recordSyncFailure, recordSyncSuccess } from "./outcome.js";
export { type PacedFetch, type PacingOptions, pacedFetch } from "./pacing.js";
export { type ReadOptions, readEntries, readEntriesById } from "./read.js";
export {
  DEFAULT_MAX_BREAKS,
  type ReconcileBreak,
  type ReconcileChecks,
  type ReconcileReport,
  reconcileAccount,
} from "./reconcile.js";
export {
  type AccountReport,
  type BalanceSource,
  type ReportFigures,
  type ReportPoint,
  type ReportQuery,
  type ReportRow,
  reportFigures,
} from "./report.js";
export {
  type BalanceSnapshot,
  type LiveBalance,
  latestBalances,
  listBalanceSnapshots,
  recordBalanceSnapshots,
  type SnapshotOptions,
} from "./snapshots.js";
export {
  type AccountSpend,
  type DaySpend,
  dailySpend,
  firstEntryDays,
  SPEND_DIMENSIONS,
  SPEND_KINDS,
  type SpendDimension,
  type SpendQuery,
  type SpendRow,
  spendBy,
  spendTotals,
} from "./spend.js";
export { type AccountStatus, accountStatus } from "./status.js";
export { MAX_ID_BYTES } from "./storable-text.js";
export { openStore, type Store } from "./store.js";
export {
  DEFAULT_OVERLAP_MS,
  type SyncOptions,
  type SyncProgress,
  type SyncResult,
  syncAccount,
} from "./sync.js";
export type { AccountRef, EntrySource, StoredEntry, StoreEntry, SyncWindow } from "./types.js";
export { type BatchResult, markVanished, SETTLE_HOURS, upsertBatch } from "./upsert.js";
