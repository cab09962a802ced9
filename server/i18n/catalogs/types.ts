/**
 * A catalog with the English catalog's shape: every key present with a string at each leaf, no
 * extra keys (`satisfies` refuses them), so a missing or stray translation fails the type check.
 * Plural `_one` forms are optional: Chinese has only the `_other` form.
 */
export type CatalogOf<T> = {
  [K in keyof T as K extends `${string}_one` ? never : K]: T[K] extends string ? string : CatalogOf<T[K]>;
} & { [K in keyof T as K extends `${string}_one` ? K : never]?: string };
