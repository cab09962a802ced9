import { describe, expect, it } from "vitest";
import { overallStatus } from "./states.js";
import { translator } from "../server/i18n/translate.js";

describe("overallStatus: what a task of several runs reads", () => {
  it("is PARTLY_SUCCEEDED when some runs succeeded and the others were cancelled or failed", () => {
    expect(overallStatus(["SUCCEEDED", "CANCELED", "SUCCEEDED"])).toBe("PARTLY_SUCCEEDED");
    expect(overallStatus(["SUCCEEDED", "FAILED"])).toBe("PARTLY_SUCCEEDED");
    expect(translator("en")("status.PARTLY_SUCCEEDED")).toBe("PARTLY SUCCEEDED");
    expect(translator("zh-CN")("status.PARTLY_SUCCEEDED")).toBe("部分成功");
  });
  it("runs while any run runs, waits while any waits, and is CANCELED or FAILED only when nothing succeeded", () => {
    expect(overallStatus(["SUCCEEDED", "RUNNING", "PENDING"])).toBe("RUNNING");
    expect(overallStatus(["SUCCEEDED", "PENDING"])).toBe("PENDING");
    expect(overallStatus([])).toBe("PENDING");
    expect(overallStatus(["SUCCEEDED", "SUCCEEDED"])).toBe("SUCCEEDED");
    expect(overallStatus(["CANCELED", "FAILED"])).toBe("FAILED");
    expect(overallStatus(["CANCELED", "CANCELED"])).toBe("CANCELED");
  });
});
