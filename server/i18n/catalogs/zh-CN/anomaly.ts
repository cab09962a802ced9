import type { CatalogOf } from "../types.js";
import type { anomaly as en } from "../en/anomaly.js";

export const anomaly = {} as const satisfies CatalogOf<typeof en>;
