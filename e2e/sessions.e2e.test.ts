/** Finding 4 of issue #20 in the browser: change password ends other sessions; sign out everywhere. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { signSession } from "../server/auth/token.js";
import { closeDb } from "../db/db.js";

let env: E2EEnv;
let user: TestUser;
beforeAll(async () => {
  env = await startE2E();
  user = await createTestUser("sessions-e2e");
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

describe("sessions on the account page", () => {
  it("changing the password signs out the other browser; sign out everywhere signs out this one", async () => {
    const here = await signedInContext(env, user);
    const other = await signedInContext(env, { ...user, token: await signSession(user.id) });
    const page = await here.newPage();
    const otherPage = await other.newPage();
    await otherPage.goto(`${env.baseUrl}/`);
    await otherPage.getByTestId("dashboard-title").waitFor();

    await page.goto(`${env.baseUrl}/account`);
    await page.getByTestId("current-password").fill(user.password);
    await page.getByTestId("new-password").fill("a new long password");
    await page.getByTestId("change-password").click();
    await page.getByTestId("password-changed").waitFor();
    expect(await page.getByTestId("password-changed").textContent()).toContain("1 other session signed out");
    await screenshot(page, "sessions-password-changed");

    await otherPage.goto(`${env.baseUrl}/`);
    await otherPage.waitForURL(/\/login/);

    await page.getByTestId("logout-everywhere").click();
    await page.waitForURL(/\/login/);
    await page.goto(`${env.baseUrl}/account`);
    await page.waitForURL(/\/login/);
    await here.close();
    await other.close();
  });
});
