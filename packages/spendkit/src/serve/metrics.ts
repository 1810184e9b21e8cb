/** One metric family of the Prometheus text exposition format (version 0.0.4). */
export interface MetricFamily {
  name: string;
  help: string;
  type: "gauge" | "counter";
  samples: { labels?: Record<string, string>; value: number | string }[];
}

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// Colons are for metric names only (recording rules); Prometheus refuses them in label names.
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * The families as exposition text: HELP and TYPE once per family, then its samples in the
 * order given. A bad name, a repeated label set or a value that is not a number is a
 * programming error, thrown: a scrape must never get a page Prometheus rejects.
 */
export function exposition(families: readonly MetricFamily[]): string {
  const names = new Set<string>();
  const lines = families.flatMap((family) => {
    checkFamily(family);
    // Prometheus refuses a page that names a family twice.
    if (names.has(family.name)) throw new Error(`metric ${family.name} given twice`);
    names.add(family.name);
    return familyLines(family);
  });
  return `${lines.join("\n")}\n`;
}

function checkFamily(family: MetricFamily): void {
  if (!METRIC_NAME.test(family.name)) {
    throw new Error(`bad metric name ${JSON.stringify(family.name)}`);
  }
  if (family.type === "counter" && !family.name.endsWith("_total")) {
    throw new Error(`counter ${family.name} must end in _total`);
  }
}

function familyLines(family: MetricFamily): string[] {
  const lines = [
    `# HELP ${family.name} ${escapeHelp(family.help)}`,
    `# TYPE ${family.name} ${family.type}`,
  ];
  const seen = new Set<string>();
  for (const sample of family.samples) {
    const labels = sample.labels ?? {};
    // The same labels in another order are the same series: compare them sorted.
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (seen.has(key)) {
      throw new Error(`metric ${family.name} has the labels ${formatLabels(labels)} twice`);
    }
    seen.add(key);
    lines.push(`${family.name}${formatLabels(labels)} ${formatValue(sample.value, family.name)}`);
  }
  return lines;
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([name, value]) => {
    // Names starting with __ are reserved for Prometheus itself.
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      throw new Error(`bad label name ${JSON.stringify(name)}`);
    }
    return `${name}="${escapeLabel(value)}"`;
  });
  return pairs.length > 0 ? `{${pairs.join(",")}}` : "";
}

/** Exact decimal text is written as given, so its digits stay exact; numbers as Go spells them. */
function formatValue(value: number | string, name: string): string {
  if (typeof value === "string") {
    if (!DECIMAL.test(value)) {
      throw new Error(`metric ${name}: ${JSON.stringify(value.slice(0, 40))} is not a decimal`);
    }
    return value;
  }
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  // String(1e21) is "1e+21"; every integer a double holds has an exact digit string.
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}

/** In HELP text, a backslash and a line feed are escaped. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** In a label value, a backslash, a double quote and a line feed are escaped. */
function escapeLabel(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
