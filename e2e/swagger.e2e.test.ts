/**
 * #27 row 8: Swagger UI at /docs loads in the browser (its assets served from the installed
 * swagger-ui-dist, no CDN, no console error or failed request) and lists every operation of the
 * OpenAPI document; an operation opens with its parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { closeDb } from "../db/db.js";
import { startE2E, screenshot, type E2EEnv } from "./helpers.js";

let env: E2EEnv;
let page: Page;

beforeAll(async () => {
  env = await startE2E();
  page = await (await env.browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
}, 60_000);
afterAll(async () => {
  await env?.close();
  await closeDb();
});

describe("Swagger UI", () => {
  it("loads at /docs and lists every operation of the document", async () => {
    const doc = (await (await fetch(`${env.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const methods = ["get", "post", "put", "patch", "delete"];
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => methods.includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.length).toBeGreaterThan(50);

    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`${env.baseUrl}/docs`);
    await page.locator(".opblock").first().waitFor({ timeout: 15_000 });
    const listed = await page
      .locator(".opblock-summary")
      .evaluateAll((els) =>
        els.map(
          (e) =>
            `${e.querySelector(".opblock-summary-method")?.textContent?.trim()} ${e.querySelector("[data-path]")?.getAttribute("data-path")}`,
        ),
      );
    expect([...listed].sort()).toEqual([...operations].sort());
    // Everything came from this server (no CDN).
    expect(requests.filter((u) => !u.startsWith(env.baseUrl))).toEqual([]);
    await screenshot(page, "swagger-1-operations");

    // An operation opens with its parameters.
    const forecastCsv = page.locator(".opblock", {
      has: page.locator('[data-path="/energy/models/{id}/forecast-csv"]'),
    });
    await forecastCsv.locator(".opblock-summary").click();
    await forecastCsv.locator(".parameters-container").waitFor();
    expect(await forecastCsv.locator('tr[data-param-name="id"]').count()).toBe(1);
  }, 60_000);
});
