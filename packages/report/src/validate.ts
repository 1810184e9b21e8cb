import { CURRENCY_CODE } from "./currency.js";
import { parseDay, parseTime } from "./days.js";
import { parseAmount } from "./decimal.js";
import type { ReportAccount, ReportData, ReportProvider } from "./types.js";

const LISTS = [
  "providers",
  "accounts",
  "dailySpend",
  "balances",
  "spendByModel",
  "topUps",
  "adjustments",
  "auditEvents",
  "reconciliation",
] as const;

/**
 * Checks `ReportData` before anything is drawn, so a wrong input fails with a message naming the
 * field instead of a chart that silently leaves a row out: every amount parses exactly, every time
 * parses, ids are unique, every account and provider referred to exists and every account names
 * its currency (which is what keeps the report from adding two currencies).
 */
export function validateReportData(data: ReportData): void {
  parseTime(data.window?.since, "window.since");
  parseTime(data.window?.until, "window.until");
  if (parseTime(data.window.since) >= parseTime(data.window.until)) {
    throw new RangeError("window.since must be before window.until");
  }
  parseTime(data.generatedAt, "generatedAt");
  for (const list of LISTS) {
    if (!Array.isArray(data[list])) throw new RangeError(`${list} must be an array`);
  }

  const providers = unique(data.providers, "provider");
  const accounts = unique(data.accounts, "account");
  data.accounts.forEach((account, i) => {
    if (!providers.has(account.provider)) {
      throw new RangeError(`account ${account.id} names an unknown provider ${account.provider}`);
    }
    if (typeof account.currency !== "string" || !CURRENCY_CODE.test(account.currency)) {
      throw new RangeError(
        `accounts[${i}].currency is not an ISO 4217 code (three upper-case letters): ${JSON.stringify(account.currency)}`,
      );
    }
  });
  const known = (id: string, where: string) => {
    if (!accounts.has(id)) throw new RangeError(`${where} names an unknown account ${id}`);
  };

  data.dailySpend.forEach((d, i) => {
    known(d.account, `dailySpend[${i}]`);
    parseDay(d.date, `dailySpend[${i}].date`);
    parseAmount(d.amount, `dailySpend[${i}].amount`);
  });
  data.balances.forEach((series, i) => {
    known(series.account, `balances[${i}]`);
    if (!Array.isArray(series.points))
      throw new RangeError(`balances[${i}].points must be an array`);
    series.points.forEach((p, j) => {
      parseTime(p.time, `balances[${i}].points[${j}].time`);
      parseAmount(p.balance, `balances[${i}].points[${j}].balance`);
    });
  });
  unique(
    data.balances.map((s) => ({ id: s.account })),
    "balance series for account",
  );
  data.spendByModel.forEach((m, i) => {
    known(m.account, `spendByModel[${i}]`);
    parseAmount(m.amount, `spendByModel[${i}].amount`);
  });
  for (const list of ["spendByProject", "spendByKey"] as const) {
    const rows = data[list];
    if (rows === undefined) continue;
    if (!Array.isArray(rows)) throw new RangeError(`${list} must be an array`);
    rows.forEach((row, i) => {
      known(row.account, `${list}[${i}]`);
      if (typeof row.name !== "string" || row.name === "") {
        throw new RangeError(`${list}[${i}].name must be a non-empty string`);
      }
      parseAmount(row.amount, `${list}[${i}].amount`);
    });
  }
  for (const [name, rows] of [
    ["topUps", data.topUps],
    ["adjustments", data.adjustments],
  ] as const) {
    rows.forEach((row, i) => {
      known(row.account, `${name}[${i}]`);
      parseTime(row.time, `${name}[${i}].time`);
      parseAmount(row.amount, `${name}[${i}].amount`);
    });
  }
  data.auditEvents.forEach((e, i) => {
    known(e.account, `auditEvents[${i}]`);
    parseTime(e.time, `auditEvents[${i}].time`);
  });
  data.reconciliation.forEach((r, i) => {
    known(r.account, `reconciliation[${i}]`);
    if (!["matched", "mismatch", "unchecked"].includes(r.status)) {
      throw new RangeError(
        `reconciliation[${i}].status is not one of matched, mismatch, unchecked`,
      );
    }
    for (const field of ["ledgerBalance", "providerBalance"] as const) {
      const value = r[field];
      if (value !== undefined) parseAmount(value, `reconciliation[${i}].${field}`);
    }
  });
}

function unique<T extends ReportProvider | ReportAccount | { id: string }>(
  items: readonly T[],
  what: string,
): Set<string> {
  const ids = new Set<string>();
  for (const item of items) {
    if (typeof item.id !== "string" || item.id === "")
      throw new RangeError(`${what} without an id`);
    if (ids.has(item.id)) throw new RangeError(`${what} ${item.id} appears twice`);
    ids.add(item.id);
  }
  return ids;
}
