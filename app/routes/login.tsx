import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useSearchParams } from "@remix-run/react";
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { pageTitle } from "../lib/meta";
import { loginInput } from "../../server/schemas/auth";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import { AuthCard } from "../components/auth-card";
import { safeNext } from "../lib/safe-next";

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  return null;
}

export default function Login() {
  const { t } = useTranslation("auth");
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: "", password: "" }, validate: zodValidate(loginInput) });
  const login = trpc.auth.login.useMutation({
    // A full navigation so every loader sees the new cookie.
    onSuccess: () => window.location.assign(safeNext(params.get("next"), window.location.origin)),
    onError: (e) => {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(fields);
      setError(message);
    },
  });
  return (
    <AuthCard
      title={t("login.title")}
      subtitle={
        <>
          {t("login.noAccount")}{" "}
          <Anchor component={Link} to="/register">
            {t("login.registerLink")}
          </Anchor>
        </>
      }
    >
      <form
        onSubmit={form.onSubmit((v) => {
          setError(null);
          login.mutate(v);
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
            label={t("fields.email")}
            type="email"
            autoComplete="email"
            name="email"
            {...form.getInputProps("email")}
          />
          <PasswordInput
            label={t("fields.password")}
            autoComplete="current-password"
            name="password"
            {...form.getInputProps("password")}
          />
          <Button type="submit" loading={login.isPending} data-testid="login-submit">
            {t("login.submit")}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

export function meta(args: MetaArgs) {
  return pageTitle(args, "auth:login.title");
}
