/**
 * The message catalogs, one file per namespace and language. English is the reference shape;
 * each Chinese file `satisfies CatalogOf<English>`, so a missing or stray key fails `tsc`.
 * The `zod` namespace (zod's own validation messages) comes from zod-i18n-map.
 */
import zodEn from "zod-i18n-map/locales/en/zod.json";
import zodZh from "zod-i18n-map/locales/zh-CN/zod.json";
import { common } from "./en/common.js";
import { auth } from "./en/auth.js";
import { battery } from "./en/battery.js";
import { training } from "./en/training.js";
import { testing } from "./en/testing.js";
import { earlyLife } from "./en/early-life.js";
import { energy } from "./en/energy.js";
import { forecast } from "./en/forecast.js";
import { anomaly } from "./en/anomaly.js";
import { common as zhCommon } from "./zh-CN/common.js";
import { auth as zhAuth } from "./zh-CN/auth.js";
import { battery as zhBattery } from "./zh-CN/battery.js";
import { training as zhTraining } from "./zh-CN/training.js";
import { testing as zhTesting } from "./zh-CN/testing.js";
import { earlyLife as zhEarlyLife } from "./zh-CN/early-life.js";
import { energy as zhEnergy } from "./zh-CN/energy.js";
import { forecast as zhForecast } from "./zh-CN/forecast.js";
import { anomaly as zhAnomaly } from "./zh-CN/anomaly.js";

/** The project's own namespaces (what the catalog checks walk). */
export const en = { common, auth, battery, training, testing, earlyLife, energy, forecast, anomaly };
export const zhCN = {
  common: zhCommon,
  auth: zhAuth,
  battery: zhBattery,
  training: zhTraining,
  testing: zhTesting,
  earlyLife: zhEarlyLife,
  energy: zhEnergy,
  forecast: zhForecast,
  anomaly: zhAnomaly,
};
export type Namespace = keyof typeof en;
export const NAMESPACES = Object.keys(en) as Namespace[];
export type { CatalogOf } from "./types.js";

export const resources = {
  en: { ...en, zod: zodEn },
  "zh-CN": { ...zhCN, zod: zodZh },
};
