/** The forecast namespace (see docs/i18n.md). */
export const forecast = {} as const;
