/** The anomaly namespace (see docs/i18n.md). */
export const anomaly = {} as const;
