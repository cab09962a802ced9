/** The testing namespace (see docs/i18n.md). */
export const testing = {} as const;
