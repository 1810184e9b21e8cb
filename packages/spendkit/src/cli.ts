// The spendkit command line (bin). The shebang is added by the build (tsup banner).
import { main } from "./cli/main.js";
import { installSignalHandlers } from "./cli/signals.js";

installSignalHandlers();
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // A closed pipe (`spendkit ledger | head`) is not a failure of ours.
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const code = await main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = code;
