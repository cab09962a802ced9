import type { CatalogOf } from "../types.js";
import type { training as en } from "../en/training.js";

export const training = {} as const satisfies CatalogOf<typeof en>;
