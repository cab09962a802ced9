import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { pageTitle } from "../lib/meta";
import { registerInput } from "../../server/schemas/auth";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import { AuthCard } from "../components/auth-card";

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  return null;
}

export default function Register() {
  const { t } = useTranslation("auth");
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: "", password: "", displayName: "" },
    validate: zodValidate(registerInput),
  });
  const register = trpc.auth.register.useMutation({
    onSuccess: () => window.location.assign("/"),
    onError: (e) => {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(fields);
      setError(message);
    },
  });
  return (
    <AuthCard
      title={t("register.title")}
      subtitle={
        <>
          {t("register.already")}{" "}
          <Anchor component={Link} to="/login">
            {t("register.loginLink")}
          </Anchor>
        </>
      }
    >
      <form
        onSubmit={form.onSubmit((v) => {
          setError(null);
          register.mutate(v);
        })}
        noValidate
      >
        <Stack>
          {error && (
            <Alert color="red" data-testid="form-error">
              {error}
            </Alert>
          )}
          <TextInput
            label={t("fields.displayName")}
            name="displayName"
            autoComplete="name"
            {...form.getInputProps("displayName")}
          />
          <TextInput
            label={t("fields.email")}
            type="email"
            name="email"
            autoComplete="email"
            {...form.getInputProps("email")}
          />
          <PasswordInput
            label={t("fields.password")}
            description={t("register.passwordHint")}
            name="password"
            autoComplete="new-password"
            {...form.getInputProps("password")}
          />
          <Button type="submit" loading={register.isPending} data-testid="register-submit">
            {t("register.submit")}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

export function meta(args: MetaArgs) {
  return pageTitle(args, "auth:register.title");
}
