/** Input schemas shared by the routers and the browser forms (pure zod: safe in any bundle). */
import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .min(1, "auth:errors.emailRequired")
  .max(254)
  .email("auth:errors.emailInvalid");
export const passwordSchema = z.string().min(10, "auth:errors.passwordShort").max(256, "auth:errors.passwordLong");

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "auth:errors.displayNameRequired")
  .max(100, "auth:errors.displayNameLong");

export const registerInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
});

export const loginInput = z.object({
  email: emailSchema,
  password: z.string().min(1, "auth:errors.passwordRequired").max(256),
});

export const apiKeyCreateInput = z.object({
  name: z.string().trim().min(1, "auth:errors.keyNameRequired").max(100, "auth:errors.keyNameLong"),
});

export const idInput = z.object({ id: z.number().int().positive() });

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "auth:errors.currentPasswordRequired").max(256),
  newPassword: passwordSchema,
});

export const updateProfileInput = z.object({ displayName: displayNameSchema });

/** The user's language: one of the catalogs' locales, or null for the browser's own. */
export const setLocaleInput = z.object({ locale: z.enum(["zh-CN", "en"]).nullable() });

/** Deleting the account: the user types their email (a deliberate act) and their password (a stolen key or session is not enough). */
export const deleteAccountInput = z.object({
  confirmEmail: z.string().trim().min(1, "auth:errors.typeEmail").max(254),
  password: z.string().min(1, "auth:errors.passwordRequired").max(256),
});
