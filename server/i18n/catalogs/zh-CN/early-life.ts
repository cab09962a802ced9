import type { CatalogOf } from "../types.js";
import type { earlyLife as en } from "../en/early-life.js";

export const earlyLife = {} as const satisfies CatalogOf<typeof en>;
