/**
 * A FOCUS 1.2 conformance check of a dataset, built from the column definitions (columns.ts),
 * the attributes they refer to (specification/attributes/) and the row relations
 * (relations.ts). `checkFocusRows` reports every rule a row or the dataset breaks; an empty
 * list means the rows pass every rule encoded here.
 */
import { parseCsv } from "../helpers.js";
import { type ColumnDefinition, FOCUS_COLUMN_DEFINITIONS } from "./columns.js";
import { compareExact, exactDecimal, isFocusNumber, ZERO } from "./decimal.js";
import { type FocusRecord, RELATIONS } from "./relations.js";

export type { FocusRecord } from "./relations.js";

export interface Violation {
  /** `<Column>.<rule>`, or `dataset.<rule>` for the rules of the whole dataset. */
  rule: string;
  /** The spec file the rule comes from, under specification/. */
  source: string;
  level: "MUST" | "SHOULD";
  /** Index of the row (0 = first data row); absent for the rules of the whole dataset. */
  row?: number;
  message: string;
}

/** The rows of a FOCUS CSV, its header's order kept, an empty cell read as null. */
export function focusRecords(csv: string): FocusRecord[] {
  const [header = [], ...lines] = parseCsv(csv);
  return lines.map((line) =>
    Object.fromEntries(header.map((column, i) => [column, line[i] ? line[i]! : null])),
  );
}

/** Checks every row, and the columns of the dataset (the keys of the first row, in order). */
export function checkFocusRows(
  rows: readonly FocusRecord[],
  columns: readonly string[] = Object.keys(rows[0] ?? {}),
): Violation[] {
  const violations = checkColumns(columns);
  rows.forEach((row, index) => {
    for (const column of columns) {
      const definition = Object.hasOwn(FOCUS_COLUMN_DEFINITIONS, column)
        ? FOCUS_COLUMN_DEFINITIONS[column]
        : undefined;
      const problem = definition && checkCell(column, definition, row[column] ?? null);
      if (problem)
        violations.push({ ...problem, source: `columns/${definition.source}`, row: index });
    }
    for (const relation of RELATIONS) {
      if (!relation.requires.every((column) => columns.includes(column))) continue;
      const message = relation.check(row);
      if (message) {
        violations.push({
          rule: relation.id,
          source: `columns/${relation.source}`,
          level: relation.level,
          row: index,
          message,
        });
      }
    }
  });
  return violations;
}

const COLUMN_HANDLING = "attributes/column_handling.md";

/** Presence of the required columns, names and order of the custom ones. */
function checkColumns(columns: readonly string[]): Violation[] {
  const violations: Violation[] = [];
  for (const [column, definition] of Object.entries(FOCUS_COLUMN_DEFINITIONS)) {
    if (columns.includes(column)) continue;
    if (definition.level === "Mandatory") {
      violations.push({
        rule: `${column}.present`,
        source: `columns/${definition.source}`,
        level: "MUST",
        message: `mandatory column ${column} is missing`,
      });
    } else if (definition.level === "Recommended" && !definition.presentWhen) {
      violations.push({
        rule: `${column}.present`,
        source: `columns/${definition.source}`,
        level: "SHOULD",
        message: `recommended column ${column} is missing`,
      });
    }
  }
  let customSeen = false;
  for (const column of columns) {
    const custom = column.startsWith("x_");
    if (!custom && !Object.hasOwn(FOCUS_COLUMN_DEFINITIONS, column)) {
      violations.push({
        rule: "dataset.custom-prefix",
        source: COLUMN_HANDLING,
        level: "MUST",
        message: `${column} is neither a FOCUS column nor prefixed x_`,
      });
    }
    if (!custom && customSeen) {
      violations.push({
        rule: "dataset.custom-last",
        source: COLUMN_HANDLING,
        level: "SHOULD",
        message: `FOCUS column ${column} comes after a custom column`,
      });
    }
    customSeen ||= custom;
  }
  return violations;
}

/** FOCUS date-times (attributes/datetime_format.md): UTC, to the second, a real instant. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function isFocusDateTime(text: string): boolean {
  const ms = Date.parse(text);
  return (
    DATE_TIME.test(text) &&
    !Number.isNaN(ms) &&
    new Date(ms).toISOString().slice(0, 19) === text.slice(0, 19)
  );
}

/** An ISO 4217 code (attributes/currency_format.md): three capital letters. */
const CURRENCY = /^[A-Z]{3}$/;

/** Key-Value format (attributes/key_value_format.md): a JSON object of scalar values. */
function isKeyValue(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.values(value).every((item) => item === null || typeof item !== "object");
}

const TYPE_CHECKS: Record<ColumnDefinition["type"], (text: string) => boolean> = {
  Decimal: isFocusNumber,
  "Date/Time": isFocusDateTime,
  String: () => true,
  "Key-Value": isKeyValue,
};

/** The first rule one cell breaks: nullability, data type and format, allowed values. */
function checkCell(
  column: string,
  definition: ColumnDefinition,
  value: string | null,
): Omit<Violation, "source" | "row"> | undefined {
  if (value === null) {
    return definition.nullable
      ? undefined
      : { rule: `${column}.not-null`, level: "MUST", message: `${column} is null` };
  }
  if (!TYPE_CHECKS[definition.type](value)) {
    return {
      rule: `${column}.type`,
      level: "MUST",
      message: `${column} ${JSON.stringify(value)} is not a ${definition.type}`,
    };
  }
  if (definition.allowed && !definition.allowed.includes(value)) {
    return {
      rule: `${column}.allowed`,
      level: "MUST",
      message: `${column} ${JSON.stringify(value)} is not an allowed value`,
    };
  }
  if (definition.nonNegative && compareExact(exactDecimal(value)!, ZERO) < 0) {
    return { rule: `${column}.non-negative`, level: "MUST", message: `${column} ${value} < 0` };
  }
  if (definition.nationalCurrency && !CURRENCY.test(value)) {
    return {
      rule: `${column}.currency`,
      level: "MUST",
      message: `${column} ${JSON.stringify(value)} is not an ISO 4217 code`,
    };
  }
  return undefined;
}
