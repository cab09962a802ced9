import type { CatalogOf } from "../types.js";
import type { testing as en } from "../en/testing.js";

export const testing = {} as const satisfies CatalogOf<typeof en>;
