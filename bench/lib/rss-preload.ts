// Preloaded (node --import) into every process whose memory parts 3 and 6 measure: when the
// process exits, its peak resident set size in KiB is written to the file named by
// BENCH_RSS_FILE. Nothing else about the process changes: it is loaded as plain JavaScript
// (bench/lib/child.ts), not through tsx, which would add its own memory to the peak.
//
// On Linux the peak is the kernel's high-water mark of this process's own memory (VmHWM), not
// getrusage's maxRSS: a child forked by a parent holding N MiB starts with a maxRSS of N, kept
// across exec, so every command spawned after the bench itself grew (it seeds stores in process)
// reported the bench's size, not its own. Elsewhere (no /proc) maxRSS is what there is.
import { readFileSync, writeFileSync } from "node:fs";

// biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; set by the bench parts
const file = process.env.BENCH_RSS_FILE;

function peakKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]);
  } catch {
    // no /proc: not Linux
  }
  return process.resourceUsage().maxRSS;
}

if (file) {
  process.on("exit", () => {
    writeFileSync(file, JSON.stringify({ maxRssKiB: peakKiB() }));
  });
}
