import { describe, it, expect } from "vitest";
import { lossPanels } from "./loss-panels";

describe("combined loss chart panels (#23 item 3)", () => {
  it("keeps positive losses on a log panel and moves a negative adaptive objective to its own linear panel", () => {
    const panels = lossPanels([
      { name: "Baseline train", values: [0.2, 0.01, 0.004] },
      { name: "Baseline val", values: [0.3, 0.02, 0.005] },
      { name: "DeepHPM train", values: [0.5, -0.4, -1.7] },
      { name: "DeepHPM val", values: [0.25, 0.015, 0.004] },
    ]);
    expect(panels).toEqual([
      { scale: "log", names: ["Baseline train", "Baseline val", "DeepHPM val"] },
      { scale: "linear", names: ["DeepHPM train"] },
    ]);
  });

  it("draws one log panel when every loss is positive, and a zero loss is never put on a log axis", () => {
    expect(
      lossPanels([
        { name: "a", values: [1, 0.1] },
        { name: "b", values: [2, 0.2] },
      ]),
    ).toEqual([{ scale: "log", names: ["a", "b"] }]);
    expect(lossPanels([{ name: "a", values: [1, 0] }])).toEqual([{ scale: "linear", names: ["a"] }]);
  });
});
