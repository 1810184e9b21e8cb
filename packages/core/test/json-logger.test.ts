import { describe, expect, it } from "vitest";
import { createJsonLogger } from "../src/index.js";

describe("createJsonLogger", () => {
  const at = () => new Date("2026-12-05T06:00:00.000Z");

  it("writes one JSON object per line with time, level, message and fields", () => {
    const lines: string[] = [];
    const logger = createJsonLogger((line) => lines.push(line), "info", at);
    logger.info("synced", { account: "xai/prod", rows: 3, big: 2n ** 70n });
    expect(lines).toEqual([
      '{"time":"2026-12-05T06:00:00.000Z","level":"info","msg":"synced","account":"xai/prod","rows":3,"big":"1180591620717411303424"}\n',
    ]);
  });

  it("drops what is above its level and keeps its own keys from being overwritten", () => {
    const lines: string[] = [];
    const logger = createJsonLogger((line) => lines.push(line), "warn", at);
    logger.debug("no");
    logger.info("no");
    logger.warn("yes", { level: "debug", msg: "forged" });
    logger.error("failed", { error: new TypeError("bad input") });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: "2026-12-05T06:00:00.000Z", level: "warn", msg: "yes" },
      {
        time: "2026-12-05T06:00:00.000Z",
        level: "error",
        msg: "failed",
        error: "TypeError: bad input",
      },
    ]);
  });
});
