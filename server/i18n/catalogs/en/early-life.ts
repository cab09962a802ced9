/** The earlyLife namespace (see docs/i18n.md). */
export const earlyLife = {} as const;
