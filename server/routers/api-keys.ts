import { router, protectedProcedure } from "../trpc/init.js";
import { apiKeyCreateInput, idInput } from "../schemas/auth.js";
import * as accounts from "../services/accounts.js";

export const apiKeysRouter = router({
  /** The key itself is returned once, here, and never again. */
  create: protectedProcedure
    .input(apiKeyCreateInput)
    .mutation(({ ctx, input }) => accounts.createApiKey(ctx.user.id, input.name)),
  list: protectedProcedure.query(({ ctx }) => accounts.listApiKeys(ctx.user.id)),
  revoke: protectedProcedure.input(idInput).mutation(({ ctx, input }) => accounts.revokeApiKey(ctx.user.id, input.id)),
});
