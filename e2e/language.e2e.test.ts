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

describe("the product in its user's language", () => {
  it("a Chinese browser gets Chinese pages, errors and statuses; the switch changes the language at once and the choice follows the account", async () => {
    const context = await env.browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const email = uniqueEmail("zh");
    const password = "correct horse battery";

    // Server-rendered in Chinese (Accept-Language), before any script runs.
    const html = await (
      await page.request.get(`${env.baseUrl}/register`, { headers: { "accept-language": "zh-CN,zh;q=0.9,en;q=0.5" } })
    ).text();
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain("创建账户");

    await page.goto(`${env.baseUrl}/register`);
    // Client-side validation in Chinese: a schema's own message, and zod's built-in one.
    await page.getByTestId("register-submit").click();
    await page.getByText("请填写显示名称").waitFor();
    await page.getByLabel("密码").fill("short");
    await page.getByTestId("register-submit").click();
    await page.getByText("密码至少 10 个字符").waitFor();

    await page.getByLabel("显示名称").fill("洛夫莱斯");
    await page.getByLabel("邮箱").fill(email);
    await page.getByLabel("密码").fill(password);
    await page.getByTestId("register-submit").click();
    await page.getByTestId("dashboard-title").waitFor();
    expect(await page.getByTestId("dashboard-title").textContent()).toBe("欢迎，洛夫莱斯");
    expect(await page.getByRole("link", { name: "电池实验室" }).count()).toBeGreaterThan(0);
    expect(await page.title()).toBe("总览 · VoltLab");
    await screenshot(page, "zh-1-dashboard");

    // The switch: English at once, no reload; the account keeps it on the next load.
    await page.getByTestId("language-switch").getByText("English").click();
    await page.getByText("Welcome, 洛夫莱斯").waitFor();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.reload();
    await page.getByText("Welcome, 洛夫莱斯").waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");

    // Back to Chinese; a server error (with a field) comes back in Chinese too.
    await page.getByTestId("language-switch").getByText("中文").click();
    await page.getByText("欢迎，洛夫莱斯").waitFor();
    await page.goto(`${env.baseUrl}/account`);
    expectProblems(/HTTP 400 .*auth\.changePassword/, /console error on \/account: .*400/);
    await page.getByTestId("current-password").fill("not my password");
    await page.getByTestId("new-password").fill("another long password");
    await page.getByTestId("change-password").click();
    await page.getByText("当前密码错误").waitFor();
    await screenshot(page, "zh-2-account-error");

    // Signed out, the sign-in page keeps the last choice (cookie) over the browser's language.
    await page.getByTestId("language-switch").getByText("English").click();
    await page.getByText("Password and sessions").waitFor();
    await page.getByTestId("logout").click();
    await page.waitForURL(/\/login/);
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await context.close();
  }, 90_000);
});
