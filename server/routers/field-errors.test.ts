/**
 * #27 row 8: a bad field of energyModels.train or anomaly.fit is refused with a BAD_REQUEST that
 * names that field, over real HTTP as the browser's forms read it (the error's `data.field`, or
 * the field of zod's flattened errors): the schema's checks and the services' own checks alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../db/db.js";
import * as queue from "../../jobs/queue.js";
import { testPrefix } from "../../jobs/testing.js";
import { startTestServer } from "../testing/server.js";
import { createTestUser, type TestUser } from "../testing/users.js";
import { createSyntheticAsset, trainReadyVersion } from "../testing/anomaly-fixtures.js";
import { loadSeries } from "../services/energy/series.js";
import { startTraining } from "../services/energy/models.js";

let user: TestUser;
let server: Awaited<ReturnType<typeof startTestServer>>;
let assetId: number;
let versionId: number;
let pendingId: number;
let pendingJob: number;
let ts: Float64Array;

beforeAll(async () => {
  user = await createTestUser("field-errors");
  assetId = await createSyntheticAsset(user, 1000);
  versionId = (await trainReadyVersion(user.id, assetId, { epochs: 10 })).id;
  ts = (await loadSeries({ assetId, userId: user.id })).timestamps;
  // A version whose job no worker serves: it stays PENDING.
  const pending = await startTraining(
    user.id,
    { assetId, kind: "gbdt" },
    { jobNamePrefix: testPrefix("field-errors") },
  );
  pendingId = pending.id;
  pendingJob = pending.jobId!;
  server = await startTestServer({ withRemix: false });
}, 60_000);

afterAll(async () => {
  if (pendingJob) await queue.cancel(pendingJob, { userId: user.id });
  await server?.close();
  await closeDb();
});

interface ErrorData {
  code: string;
  httpStatus: number;
  field: string | null;
  zodError: { fieldErrors: Record<string, string[]> } | null;
}

/** Calls a mutation over HTTP with the session cookie; the refusal's code and the field it names. */
async function refusal(procedure: string, input: unknown) {
  const res = await fetch(`${server.url}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: `voltlab_session=${user.token}` },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { error?: { json: { message: string; data: ErrorData } } };
  expect(body.error, `${procedure} ${JSON.stringify(input)} should be refused`).toBeDefined();
  const { data, message } = body.error!.json;
  const fields = data.field ? [data.field] : Object.keys(data.zodError?.fieldErrors ?? {});
  return { status: res.status, code: data.code, fields, message };
}

const expectField = async (procedure: string, input: unknown, field: string) => {
  const r = await refusal(procedure, input);
  expect({ status: r.status, code: r.code, fields: r.fields }, r.message).toEqual({
    status: 400,
    code: "BAD_REQUEST",
    fields: [field],
  });
};

describe("energyModels.train names the bad field", { timeout: 30_000 }, () => {
  const train = (extra: Record<string, unknown>, field: string) =>
    expectField("energyModels.train", { assetId, ...extra }, field);

  it("schema checks: each bad field is named", async () => {
    await expectField("energyModels.train", { assetId: 0 }, "assetId");
    await train({ kind: "prophet" }, "kind");
    await train({ lookback: 4 }, "lookback");
    await train({ horizon: 0 }, "horizon");
    await train({ quantiles: [0.9, 0.5, 0.1] }, "quantiles");
    await train({ kind: "lstm", epochs: 500 }, "epochs");
    await train({ learningRate: 2 }, "learningRate");
    await train({ seed: -1 }, "seed");
    await train({ budgetSeconds: 5 }, "budgetSeconds");
  });

  it("the service's checks name the lookback: shorter than the kind needs, longer than the asset allows", async () => {
    // Seasonal mean reads two past days (2 × 96 steps at 15 min).
    await train({ kind: "seasonal-mean", lookback: 96 }, "lookback");
    // 1,000 points cannot hold a 2,000-step lookback and three horizons.
    await train({ kind: "gbdt", lookback: 2000, horizon: 96 }, "lookback");
    const missing = await refusal("energyModels.train", { assetId: 999_999_999 });
    expect([missing.status, missing.code]).toEqual([404, "NOT_FOUND"]);
  });
});

describe("anomaly.fit names the bad field", { timeout: 30_000 }, () => {
  const fit = (extra: Record<string, unknown>, field: string) =>
    expectField("anomaly.fit", { modelVersionId: versionId, ...extra }, field);

  it("schema checks: each bad field is named", async () => {
    await expectField("anomaly.fit", { modelVersionId: 0 }, "modelVersionId");
    await fit({ highQuantile: 0.3 }, "highQuantile");
    await fit({ lowQuantile: 0.01 }, "lowQuantile");
    await fit({ scoreMode: "abs" }, "scoreMode");
    await fit({ mergeGap: 0 }, "mergeGap");
    await fit({ fitFrom: ts[500], fitTo: ts[400] }, "fitTo");
  });

  it("the service's checks: a version not ready names the version, a too short range names its end", async () => {
    await expectField("anomaly.fit", { modelVersionId: pendingId }, "modelVersionId");
    await fit({ fitFrom: ts[100], fitTo: ts[105] }, "fitTo");
    // The same fields are accepted once they are right.
    const ok = await user.caller.anomaly.fit({ modelVersionId: versionId, fitFrom: ts[100], fitTo: ts[600] });
    expect(ok.fittedRange.fromTs).toBe(ts[100]);
  });
});
