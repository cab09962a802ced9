/**
 * The one access rule for user-owned rows. Every query a procedure runs is scoped to the caller:
 * a missing row and another user's row get the same NOT_FOUND, so an id never reveals that
 * another user's row exists. Built-in rows (user_id NULL) are readable by everyone where the
 * domain has them, and writable by no one (the domain's writable check refuses them).
 */
import { TRPCError } from "@trpc/server";
import type { Model } from "objection";
import { isMessageKey } from "../i18n/translate.js";
import { userError } from "../trpc/errors.js";

/** An Objection model class whose rows carry user_id. */
type UserTable = typeof Model & (new () => { userId: number | null });

/**
 * The row `id` of `model` if `userId` owns it (or, with `builtIn: true`, if it is built-in); else
 * NOT_FOUND with `message` (text, or a catalog key the client renders in the user's language).
 */
export async function ownedOrNotFound<T extends UserTable>(
  model: T,
  id: number,
  userId: number,
  message: string,
  opts: { builtIn?: boolean } = {},
): Promise<InstanceType<T>> {
  const row = (await model.query().findById(id)) as InstanceType<T> | undefined;
  const visible = row && (row.userId === userId || (opts.builtIn === true && row.userId === null));
  if (!visible)
    throw isMessageKey(message) ? userError("NOT_FOUND", message) : new TRPCError({ code: "NOT_FOUND", message });
  return row;
}
