/** The energy namespace (see docs/i18n.md). */
export const energy = {} as const;
