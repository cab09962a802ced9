/** Issue #23 item 9 in the browser: change the display name; delete the account with a typed email. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser } from "../server/testing/users.js";
import { closeDb, db } from "../db/db.js";

let env: E2EEnv;
beforeAll(async () => {
  env = await startE2E();
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

describe("account settings", () => {
  it("renames the user, and deletes the account only once the typed email matches", async () => {
    const user = await createTestUser("account-e2e");
    const context = await signedInContext(env, user, { timezoneId: "Asia/Shanghai" });
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/account`);

    await page.getByTestId("display-name").fill("Wang Fang");
    await page.getByTestId("display-name-save").click();
    await page.getByTestId("display-name-saved").waitFor();
    expect(await page.getByTestId("account-display-name").textContent()).toBe("Wang Fang");
    await page.reload();
    expect(await page.getByTestId("account-display-name").textContent()).toBe("Wang Fang");

    await page.getByTestId("delete-account").click();
    const confirm = page.getByTestId("delete-account-confirm");
    await page.getByTestId("delete-confirm-email").fill("someone-else@test.voltlab");
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId("delete-confirm-email").fill(user.email);
    await page.getByTestId("delete-password").fill(user.password);
    expect(await confirm.isDisabled()).toBe(false);
    await screenshot(page, "account-delete-confirm");
    await confirm.click();
    await page.waitForURL(/\/login/);

    expect(await db()("users").where({ id: user.id }).first()).toBeUndefined();
    await page.goto(`${env.baseUrl}/account`);
    await page.waitForURL(/\/login/);
    await context.close();
  });
});
