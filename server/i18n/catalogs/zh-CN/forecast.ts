import type { CatalogOf } from "../types.js";
import type { forecast as en } from "../en/forecast.js";

export const forecast = {} as const satisfies CatalogOf<typeof en>;
