/** Input schemas shared by the routers and the browser forms (pure zod: safe in any bundle). */
import { z } from "zod";

export const emailSchema = z.string().trim().min(1, "Email is required").max(254).email("Enter a valid email address");
export const passwordSchema = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(256, "Password must be at most 256 characters");

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Display name is required")
  .max(100, "Display name must be at most 100 characters");

export const registerInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
});

export const loginInput = z.object({
  email: emailSchema,
  password: z.string().min(1, "Password is required").max(256),
});

export const apiKeyCreateInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "Name must be at most 100 characters"),
});

export const idInput = z.object({ id: z.number().int().positive() });

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Current password is required").max(256),
  newPassword: passwordSchema,
});

export const updateProfileInput = z.object({ displayName: displayNameSchema });

/** Deleting the account: the user types their email (a deliberate act) and their password (a stolen key or session is not enough). */
export const deleteAccountInput = z.object({
  confirmEmail: z.string().trim().min(1, "Type your email to confirm").max(254),
  password: z.string().min(1, "Password is required").max(256),
});
