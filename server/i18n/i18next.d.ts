// Typed translation keys: `t("nav.batteryLab")` with a key that is in no catalog fails `tsc`.
import "i18next";
import type { en } from "./catalogs/index.js";
import type zodEn from "zod-i18n-map/locales/en/zod.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: typeof en & { zod: typeof zodEn };
  }
}
