// Preloaded (node --import) into every process whose memory part 3 measures: when the process
// exits, its peak resident set size (process.resourceUsage().maxRSS, in KiB) is written to the
// file named by BENCH_RSS_FILE. Nothing else about the process changes: it is loaded as plain
// JavaScript (bench/lib/child.ts), not through tsx, which would add its own memory to the peak.
import { writeFileSync } from "node:fs";

// biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; set by bench/export.ts
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
