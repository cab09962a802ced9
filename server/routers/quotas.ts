import { router, protectedProcedure } from "../trpc/init.js";
import { userQuotas } from "../services/quotas.js";

export const quotasRouter = router({
  /** The caller's own limits and usage (active jobs, uploads, upload storage in MB), shown on the forms. */
  mine: protectedProcedure.query(({ ctx }) => userQuotas(ctx.user.id)),
});
