/**
 * Browser tests: Debian's chromium driven by playwright-core (never a downloaded browser),
 * against the real server (Express + Remix build + tRPC) on a free port.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach } from "vitest";
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
  if (!fs.existsSync("dist/remix/index.js"))
    throw new Error("dist/remix/index.js missing: run `npx remix build` first");
  const browser = await chromium.launch({
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
  // Every context (and so every page) this browser opens is watched for problems.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => watchContext(await newContext(options));
  return browser;
}

/**
 * Problems a user would not see but a page must not have: console errors (React hydration
 * errors included), uncaught exceptions and failed requests (network failures and HTTP ≥ 400).
 * They are collected per page; after each test `afterEach` below fails the test if any were
 * seen, unless that test declared them with `expectProblems` (e.g. the 404 page's own status).
 */
const problems: string[] = [];
const expected: RegExp[] = [];

function watchPage(page: Page): void {
  const where = () => page.url().replace(/^https?:\/\/[^/]+/, "");
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error on ${where()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught error on ${where()}: ${e.message}`));
  page.on("requestfailed", (r) => {
    const failure = r.failure()?.errorText ?? "failed";
    // A navigation away from a page aborts its in-flight requests: not the page's fault.
    if (failure === "net::ERR_ABORTED") return;
    problems.push(`request failed on ${where()}: ${r.method()} ${r.url()} (${failure})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} on ${where()}: ${r.request().method()} ${r.url()}`);
  });
}

function watchContext(context: BrowserContext): BrowserContext {
  context.pages().forEach(watchPage);
  context.on("page", watchPage);
  return context;
}

/** Declares problems the current test provokes on purpose (each pattern must match at least one). */
export function expectProblems(...patterns: RegExp[]): void {
  expected.push(...patterns);
}

/** The problems seen so far in this test (for debugging messages). */
export function seenProblems(): string[] {
  return [...problems];
}

afterEach(() => {
  const seen = problems.splice(0);
  const declared = expected.splice(0);
  const unexpected = seen.filter((p) => !declared.some((re) => re.test(p)));
  const unmatched = declared.filter((re) => !seen.some((p) => re.test(p)));
  const lines = [
    ...unexpected.map((p) => `unexpected: ${p}`),
    ...unmatched.map((re) => `expected but not seen: ${re}`),
  ];
  if (lines.length > 0) throw new Error(`Browser problems in this test:\n${lines.join("\n")}`);
});

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
export async function signedInContext(
  env: E2EEnv,
  user: TestUser,
  options: { timezoneId?: string } = {},
): Promise<BrowserContext> {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
  const url = new URL(env.baseUrl);
  await context.addCookies([
    { name: SESSION_COOKIE, value: user.token, domain: url.hostname, path: "/", httpOnly: true, sameSite: "Lax" },
  ]);
  return context;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // caret "initial": Playwright's default hides the caret by writing an inline style on every
  // input, which races React's hydration (a "Prop `style` did not match" console error).
  await page.screenshot({ path: file, fullPage: true, caret: "initial" });
  return file;
}
