import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, screenshot, expectProblems, type E2EEnv } from "./helpers.js";
import { uniqueEmail } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";

let env: E2EEnv;
beforeAll(async () => {
  env = await startE2E();
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

describe("accounts in a real browser", () => {
  it("register → log out → log in → dashboard", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const email = uniqueEmail("e2e");
    const password = "correct horse battery";

    // Anonymous visitors are sent to the login page.
    await page.goto(`${env.baseUrl}/`);
    await page.waitForURL(/\/login/);

    await page.goto(`${env.baseUrl}/register`);
    // Client-side validation names the field before anything is sent.
    await page.getByTestId("register-submit").click();
    await page.getByText("Display name is required").waitFor();
    await page.getByLabel("Display name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByTestId("register-submit").click();
    await page.getByTestId("dashboard-title").waitFor();
    expect(await page.getByTestId("dashboard-title").textContent()).toContain("Ada Lovelace");
    await screenshot(page, "auth-1-dashboard-after-register");

    await page.getByTestId("logout").click();
    await page.waitForURL(/\/login/);
    await screenshot(page, "auth-2-login-page");

    // A wrong password is refused with a message the user can read (the request answers 401, declared here).
    expectProblems(/HTTP 401 .*auth\.login/, /console error on \/login: .*401/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByTestId("login-submit").click();
    await page.getByTestId("form-error").waitFor();
    expect(await page.getByTestId("form-error").textContent()).toContain("Wrong email or password");

    await page.getByLabel("Password").fill(password);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("dashboard-title").waitFor();
    expect(page.url()).toBe(`${env.baseUrl}/`);
    expect(await page.getByTestId("current-user").textContent()).toBe("Ada Lovelace");
    await screenshot(page, "auth-3-dashboard-after-login");

    // The session cookie is httpOnly and SameSite=Lax.
    const cookie = (await context.cookies()).find((c) => c.name === "voltlab_session");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    await context.close();
  });
});
