/**
 * Browser tests: Debian's chromium driven by playwright-core (never a downloaded browser),
 * against the real server (Express + Remix build + tRPC) on a free port.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startTestServer } from "../server/testing/server.js";
import type { TestUser } from "../server/testing/users.js";
import { SESSION_COOKIE } from "../server/auth/token.js";

export const SCREENSHOT_DIR = path.resolve("e2e/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium)`);
  }
  if (!fs.existsSync("dist/remix/index.js")) throw new Error("dist/remix/index.js missing: run `npx remix build` first");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export interface E2EEnv {
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the web server and a browser; close() stops both. */
export async function startE2E(): Promise<E2EEnv> {
  const server = await startTestServer();
  const browser = await launchBrowser();
  return {
    browser,
    baseUrl: server.url,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A browser context already signed in as `user` (session cookie set directly). */
export async function signedInContext(env: E2EEnv, user: TestUser): Promise<BrowserContext> {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const url = new URL(env.baseUrl);
  await context.addCookies([
    { name: SESSION_COOKIE, value: user.token, domain: url.hostname, path: "/", httpOnly: true, sameSite: "Lax" },
  ]);
  return context;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
