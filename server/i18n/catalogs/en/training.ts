/** The training namespace (see docs/i18n.md). */
export const training = {} as const;
