/**
 * The catalogs stay complete and in use: both languages have the same keys, every key is used
 * somewhere in the code, every key the code names exists, and the linter refuses literal text in
 * translated pages.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import { en, zhCN, NAMESPACES, type Namespace } from "./catalogs/index.js";

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`),
  );
}
/** `x_one` / `x_other` are the plural forms of one key `x`. */
const base = (k: string) => k.replace(/_(one|other)$/, "");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "catalogs" || name === "node_modules" ? [] : sources(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}
const code = ["app", "server", "jobs", "scripts"].flatMap(sources).map((f) => readFileSync(f, "utf8"));
const allCode = code.join("\n");

/** A key counts as used when the code names it whole (`"nav.account"`, `"common:nav.account"`) or builds it from a named prefix (`` `nav.${…}` ``). */
function isUsed(ns: Namespace, key: string): boolean {
  if (new RegExp(`["'\`](${ns}:)?${key.replace(/\./g, "\\.")}["'\`]`).test(allCode)) return true;
  const parts = key.split(".");
  for (let i = parts.length - 1; i > 0; i--) {
    const prefix = parts.slice(0, i).join(".");
    if (allCode.includes(`\`${prefix}.\${`) || allCode.includes(`\`${ns}:${prefix}.\${`)) return true;
  }
  return false;
}

describe("message catalogs", () => {
  it("have the same keys in Chinese and English", () => {
    for (const ns of NAMESPACES) {
      const enKeys = new Set(leaves(en[ns] as Tree).map(base));
      const zhKeys = new Set(leaves(zhCN[ns] as Tree).map(base));
      expect(
        [...enKeys].filter((k) => !zhKeys.has(k)),
        `${ns}: missing in zh-CN`,
      ).toEqual([]);
      expect(
        [...zhKeys].filter((k) => !enKeys.has(k)),
        `${ns}: missing in en`,
      ).toEqual([]);
    }
  });

  it("have no key the code never uses", () => {
    const unused = NAMESPACES.flatMap((ns) =>
      [...new Set(leaves(en[ns] as Tree).map(base))].filter((k) => !isUsed(ns, k)).map((k) => `${ns}:${k}`),
    );
    expect(unused).toEqual([]);
  });

  it("hold every `namespace:key` the code names (schema messages, server errors)", () => {
    const named = new Set<string>();
    const re = new RegExp(`["'\`]((?:${NAMESPACES.join("|")}):[\\w.]+)["'\`]`, "g");
    for (const text of code) for (const m of text.matchAll(re)) named.add(m[1]!);
    const known = new Set(
      NAMESPACES.flatMap((ns) => leaves(en[ns] as Tree).flatMap((k) => [`${ns}:${k}`, `${ns}:${base(k)}`])),
    );
    expect([...named].filter((k) => !known.has(k))).toEqual([]);
    expect(named.size).toBeGreaterThan(10);
  });

  it("the linter refuses literal text in a translated page, and accepts t()", async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const lint = async (body: string) => {
      const [r] = await eslint.lintText(
        `import { Button } from "@mantine/core";\nimport { useTranslation } from "react-i18next";\nexport function P() {\n  const { t } = useTranslation();\n  return ${body};\n}\n`,
        { filePath: "app/routes/login.tsx" },
      );
      return r!.messages.filter((m) => m.ruleId === "i18next/no-literal-string").length;
    };
    expect(await lint(`<Button title="Delete everything">Delete</Button>`)).toBe(2);
    expect(await lint(`<Button title={t("actions.delete")} data-testid="x">{t("actions.delete")}</Button>`)).toBe(0);
  });
});
