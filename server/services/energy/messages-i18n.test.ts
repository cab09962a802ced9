/**
 * The Energy Lab's refusals travel as catalog keys with parameters (docs/i18n.md): scripts keep
 * the English text, and the page renders the same refusal in Chinese, names and numbers included
 * (an upload's reasons, a schema message, a training request, a forecast of an unfinished model,
 * a history file at another step, whose durations and reason are nested messages).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { closeDb } from "../../../db/db.js";
import { prefixOwnJobs } from "../../../jobs/testing.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { createSyntheticAsset, syntheticCsv, trainReadyVersion } from "../../testing/anomaly-fixtures.js";
import { translateKey, english } from "../../i18n/translate.js";
import { assetCreateInput } from "../../schemas/energy.js";
import { commitUpload } from "./uploads.js";
import type { MessageRef } from "../../trpc/errors.js";

let user: TestUser;
let assetId: number;
let versionId: number;
const zh = (r: MessageRef) => translateKey("zh-CN", r.key, r.params);
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** The catalog key and parameters a refused call carries to the page. */
async function refusal(call: Promise<unknown>): Promise<{ message: string; ref: MessageRef }> {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  const ref = ((e as TRPCError).cause as { i18n?: MessageRef } | undefined)?.i18n;
  expect(ref?.key).toMatch(/^forecast:errors\./);
  return { message: (e as TRPCError).message, ref: ref! };
}

beforeAll(async () => {
  prefixOwnJobs("energy-i18n"); // no worker serves these jobs: a started training stays PENDING
  user = await createTestUser("energy-i18n");
  assetId = await createSyntheticAsset(user, 600);
  versionId = (await trainReadyVersion(user.id, assetId, { lookback: 16, horizon: 4, epochs: 5 })).id;
}, 120_000);
afterAll(() => closeDb());

describe("Energy Lab refusals in the user's language", () => {
  it("an upload's reasons: English for scripts, keys the page shows in Chinese", async () => {
    const r = await commitUpload(user.id, {
      fileName: "x.csv",
      contentBase64: b64("when,kwh\n2024-01-01 00:00,1\n"),
      mapping: { timestampColumn: "time", targetColumn: "kwh", covariates: [] },
      options: { resampleSeconds: null, fill: "none", maxGapSteps: 0 },
      newAssetName: "never stored",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reasons).toEqual(['column "time" is not in the file']);
    expect(r.reasonRefs.map(zh)).toEqual(["文件中没有“time”列"]);
  });

  it("a schema message is a key: English and Chinese with its limit", () => {
    const empty = assetCreateInput.safeParse({ name: " " });
    const long = assetCreateInput.safeParse({ name: "x".repeat(201) });
    expect(empty.success || long.success).toBe(false);
    const [e1] = empty.error!.issues;
    const [e2] = long.error!.issues;
    expect(english(e1.message, e1 as never)).toBe("Name is required");
    expect(translateKey("zh-CN", e1.message, e1 as never)).toBe("请填写名称");
    expect(english(e2.message, e2 as never)).toBe("Name must be at most 200 characters");
    expect(translateKey("zh-CN", e2.message, e2 as never)).toBe("名称最多 200 个字符");
  });

  it("a lookback shorter than the seasonal model's days names the model in either language", async () => {
    const { message, ref } = await refusal(
      user.caller.energyModels.train({ assetId, kind: "seasonal-mean", lookback: 10 }),
    );
    expect(message).toBe("Seasonal mean needs a lookback of at least 2 day(s) (192 steps), got 10");
    expect(zh(ref)).toBe("季节均值需要至少 2 天的回看窗口（192 步），当前为 10");
  });

  it("a model that has not finished says its status in the user's words", async () => {
    const v = await user.caller.energyModels.train({ assetId, kind: "seasonal-naive" });
    const { message, ref } = await refusal(user.caller.energyModels.forecast({ id: v.id }));
    expect(message).toBe("The model is PENDING, not SUCCEEDED: it cannot forecast");
    expect(zh(ref)).toBe("该模型的状态为排队中，不是成功：无法预测");
  });

  it("a history file at another step and one without the target: durations and the reason nested", async () => {
    const rows = syntheticCsv(600).trim().split("\n").slice(-80);
    const half = rows.filter((_, i) => i % 2 === 0);
    const step = await refusal(
      user.caller.energyModels.forecastFromFile({
        id: versionId,
        fileName: "half.csv",
        contentBase64: b64(["time,kwh", ...half].join("\n")),
      }),
    );
    expect(step.message).toContain("The file's time step is 30 min; this model was trained on 15 min data");
    expect(zh(step.ref)).toContain("文件的时间步长为 30 分钟；此模型是在 15 分钟的数据上训练的");

    const text = await refusal(
      user.caller.energyModels.forecastFromFile({
        id: versionId,
        fileName: "text.csv",
        contentBase64: b64(["time,kwh", ...rows.map((r) => r.replace(/,[^,]+$/, ",n/a"))].join("\n")),
      }),
    );
    expect(text.message).toMatch(/^The file is not usable: column "kwh"/);
    expect(zh(text.ref)).toMatch(/^文件无法使用：“kwh”列/);
  });
});
