// The parser ships no types: the shape it returns, as its README documents it.
declare module "parse-prometheus-text-format" {
  interface ParsedMetric {
    value: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
  }
  interface ParsedFamily {
    name: string;
    help: string;
    type: "COUNTER" | "GAUGE" | "SUMMARY" | "HISTOGRAM" | "UNTYPED";
    metrics: ParsedMetric[];
  }
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
