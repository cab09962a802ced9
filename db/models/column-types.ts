/**
 * The shapes of typed columns whose definitions belong to the layers above: JSON configs and
 * results, and enum strings, which the zod schemas of server/schemas validate before a row is
 * written. db/ is the bottom layer and imports nothing from server/, so a model names the shape
 * here (`config!: ColumnTypes["trainingTaskConfig"]`) and server/schemas/column-types.ts fills the
 * names in by interface merging: a type-only declaration, erased at run time. A name nobody fills
 * in fails the type check of the model that uses it.
 */
export interface ColumnTypes {}
