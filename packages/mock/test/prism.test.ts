import { describe, expect, it } from "vitest";
import { startPrism } from "../src/prism.js";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startPrism", () => {
  it("serves the spec on loopback and stops by PID", async () => {
    const mock = await startPrism("bytespike");
    try {
      expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${mock.url}/api/v1/me/account`, {
        headers: { authorization: "Bearer x" },
      });
      expect(response.status).toBe(200);
      expect(isRunning(mock.pid)).toBe(true);
    } finally {
      await mock.stop();
    }
    expect(isRunning(mock.pid)).toBe(false);
  }, 60_000);

  it("fails clearly for a spec that does not exist", async () => {
    await expect(startPrism("nope")).rejects.toThrow("specs/nope.yaml not found");
  });
});
