// pnpm mock [provider ...]: Prism mocks of the specs on 127.0.0.1 (all of them by default),
// each on a free port, until Ctrl-C.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type RunningMock, startPrism } from "@spendkit/mock";
import { REPO_ROOT } from "../spec/load.js";

const specs = readdirSync(join(REPO_ROOT, "specs"))
  .filter((file) => file.endsWith(".yaml"))
  .map((file) => file.replace(/\.yaml$/, ""));
const wanted = process.argv.slice(2).filter((arg) => arg !== "--");
const unknown = wanted.filter((name) => !specs.includes(name));
if (unknown.length) {
  console.error(`unknown provider: ${unknown.join(", ")} (specs: ${specs.join(", ")})`);
  process.exit(2);
}

const mocks: RunningMock[] = [];
const stopAll = async () => {
  await Promise.all(mocks.map((mock) => mock.stop()));
  process.exit(0);
};
process.once("SIGINT", stopAll);
process.once("SIGTERM", stopAll);

for (const name of wanted.length ? wanted : specs) {
  const mock = await startPrism(name);
  mocks.push(mock);
  console.log(`${name.padEnd(10)} ${mock.url}   (pid ${mock.pid})`);
}
console.log("Prism validates every request against its spec. Ctrl-C stops the mocks.");
