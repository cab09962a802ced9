import type { CatalogOf } from "../types.js";
import type { battery as en } from "../en/battery.js";

export const battery = {} as const satisfies CatalogOf<typeof en>;
