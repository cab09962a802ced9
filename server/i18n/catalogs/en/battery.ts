/** The battery namespace (see docs/i18n.md). */
export const battery = {} as const;
