/** Finding 10 of issue #20: security headers, and a CSP the Remix + Mantine pages render and hydrate under. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Page } from "playwright-core";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";

let env: E2EEnv;
let user: TestUser;
beforeAll(async () => {
  env = await startE2E();
  user = await createTestUser("csp");
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

/** Records CSP violations (the event and the console line) and page errors. */
async function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return async () => [
    ...problems,
    ...((await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])) as string[]),
  ];
}

describe("security headers and CSP in a real browser", () => {
  it("pages carry the headers, and the login page hydrates under the CSP (client-side validation runs)", async () => {
    const res = await fetch(`${env.baseUrl}/login`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("strict-transport-security")).toBeNull(); // plain HTTP, no trusted proxy
    const nonce = csp.match(/'nonce-([^']+)'/)![1]!;
    expect(await res.text()).toContain(`nonce="${nonce}"`);

    const context = await env.browser.newContext();
    const page = await context.newPage();
    const problems = await watch(page);
    await page.goto(`${env.baseUrl}/login`);
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByTestId("login-submit").click();
    await page.getByText("Enter a valid email address").waitFor({ timeout: 15_000 });
    // The API documentation (Swagger UI from the installed package) renders under the same policy.
    await page.goto(`${env.baseUrl}/docs`);
    await page.locator(".swagger-ui .info").waitFor({ timeout: 15_000 });
    expect(await problems()).toEqual([]);
    await context.close();
  });

  it("signed-in pages render, hydrate and call the API with no CSP violation, and are not cached", async () => {
    const res = await fetch(`${env.baseUrl}/account`, { headers: { cookie: `voltlab_session=${user.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");

    const context = await signedInContext(env, user);
    const page = await context.newPage();
    const problems = await watch(page);
    for (const path of ["/", "/battery/train", "/energy/models"]) {
      await page.goto(`${env.baseUrl}${path}`);
      await page.waitForLoadState("networkidle");
      expect(await page.locator("main, [class*=AppShell]").count(), path).toBeGreaterThan(0);
    }
    // Hydrated: a form on the account page creates an API key through tRPC.
    await page.goto(`${env.baseUrl}/account`);
    await page.getByTestId("api-key-name").fill("csp-check");
    await page.getByTestId("api-key-create").click();
    await page.getByTestId("api-key-new").waitFor({ timeout: 15_000 });
    await screenshot(page, "security-csp-account");
    expect(await problems()).toEqual([]);
    await context.close();
  });
});
