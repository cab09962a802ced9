/**
 * The quantile detector's score is a distance from the forecast (|y − median|), so only large
 * scores are anomalies: a low quantile, or a high one under the median, would flag the points the
 * forecast predicts best. The schema refuses both with a message that names the problem.
 */
import { describe, expect, it } from "vitest";
import { fitDetectorInput, HIGH_QUANTILE_MIN } from "./anomaly.js";
import { english, translateKey } from "../i18n/translate.js";

const base = { modelVersionId: 1 };

function firstIssue(input: Record<string, unknown>) {
  const r = fitDetectorInput.safeParse({ ...base, ...input });
  if (r.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return r.error.issues[0]!;
}

describe("fitting a quantile detector", () => {
  it("refuses a low quantile: it would flag near-perfect forecasts", () => {
    const issue = firstIssue({ lowQuantile: 0.05 });
    expect(issue.path).toEqual(["lowQuantile"]);
    expect(english(issue.message)).toMatch(/near-perfect forecasts/);
    expect(translateKey("zh-CN", issue.message)).toContain("近乎完美的预测");
    // Old clients that send no low quantile, or null, still fit.
    expect(fitDetectorInput.parse({ ...base, lowQuantile: null }).lowQuantile).toBeNull();
    expect(fitDetectorInput.parse(base)).toMatchObject({ lowQuantile: null, highQuantile: 0.99 });
  });

  it(`refuses a high quantile under ${HIGH_QUANTILE_MIN}, naming the minimum and why`, () => {
    const issue = firstIssue({ highQuantile: 0.2 });
    expect(issue.path).toEqual(["highQuantile"]);
    const text = english(issue.message, issue as unknown as Record<string, unknown>);
    expect(text).toContain(`below ${HIGH_QUANTILE_MIN}`);
    expect(text).toMatch(/near-perfect/);
    expect(fitDetectorInput.parse({ ...base, highQuantile: HIGH_QUANTILE_MIN }).highQuantile).toBe(HIGH_QUANTILE_MIN);
    expect(fitDetectorInput.parse({ ...base, highQuantile: 0.995 }).highQuantile).toBe(0.995);
    expect(english(firstIssue({ highQuantile: 1 }).message)).toBe("Between 0 and 1");
  });
});
