export { exampleReportData } from "./example.js";
export { escapeHtml } from "./html.js";
export { renderReport } from "./render.js";
export { forecastRunway, type RunwayForecast, type RunwayInput } from "./runway.js";
export type {
  Adjustment,
  Amount,
  AuditEvent,
  BalancePoint,
  BalanceSeries,
  DailySpend,
  ModelSpend,
  Reconciliation,
  ReportAccount,
  ReportData,
  ReportProvider,
  TopUp,
} from "./types.js";
export { validateReportData } from "./validate.js";
