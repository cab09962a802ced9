import type { CatalogOf } from "../types.js";
import type { energy as en } from "../en/energy.js";

export const energy = {} as const satisfies CatalogOf<typeof en>;
