/**
 * #27 row 8: the API-keys section of the account page, the only way a user gets a key. A key is
 * created in the browser and shown once; it works against the REST API as this user (their own
 * asset is read with it); once revoked in the browser (after confirming) the API refuses it.
 * Selected by data-testid (the page's text is translated).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { closeDb } from "../db/db.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";

let env: E2EEnv;
let user: TestUser;
let context: BrowserContext;
let page: Page;
let assetId: number;

beforeAll(async () => {
  env = await startE2E();
  user = await createTestUser("e2e-api-keys");
  assetId = (await user.caller.energy.assets.create({ name: `keyed-asset-${Date.now()}` })).id;
  context = await signedInContext(env, user);
  page = await context.newPage();
}, 60_000);
afterAll(async () => {
  await context?.close();
  await env?.close();
  await closeDb();
});

const getAsset = (key: string) =>
  fetch(`${env.baseUrl}/api/v1/energy/assets/${assetId}`, { headers: { authorization: `Bearer ${key}` } });

describe("API keys page", () => {
  it("creates a key shown once, which reads the user's data over REST until it is revoked", async () => {
    const name = `script-${Date.now()}`;
    await page.goto(`${env.baseUrl}/account`);
    await page.getByTestId("api-key-name").fill(name);
    await page.getByTestId("api-key-create").click();
    const key = (await page.getByTestId("api-key-value").textContent())!.trim();
    expect(key).toMatch(/^vl_[A-Za-z0-9_-]{43}$/);
    const row = page.getByTestId("api-key-row").filter({ hasText: name });
    await row.and(page.locator('[data-status="active"]')).waitFor();
    // The list shows only the key's first characters.
    expect(await row.textContent()).toContain(key.slice(0, 10));
    expect(await row.textContent()).not.toContain(key);
    await screenshot(page, "api-keys-1-created");

    // It acts as this user over REST.
    const ok = await getAsset(key);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { asset: { id: number } }).asset.id).toBe(assetId);

    // Shown once: after a reload the page holds no trace of the full key.
    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId("api-key-value").count()).toBe(0);
    expect(await page.content()).not.toContain(key);

    // Revoked after confirming: the row says so and the API refuses the key.
    await row.getByTestId("api-key-revoke").click();
    await page.getByTestId("confirm-ok").click();
    await row.and(page.locator('[data-status="revoked"]')).waitFor();
    expect(await row.getByTestId("api-key-revoke").count()).toBe(0);
    await screenshot(page, "api-keys-2-revoked");
    const refused = await getAsset(key);
    expect(refused.status).toBe(401);
    // The user's other key (made with the test user) still works: only this one was revoked.
    expect((await getAsset(user.apiKey)).status).toBe(200);
  }, 60_000);
});
