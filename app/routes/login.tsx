import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useSearchParams } from "@remix-run/react";
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
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
      title="Log in"
      subtitle={
        <>
          No account yet?{" "}
          <Anchor component={Link} to="/register">
            Register
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
          <TextInput label="Email" type="email" autoComplete="email" name="email" {...form.getInputProps("email")} />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            name="password"
            {...form.getInputProps("password")}
          />
          <Button type="submit" loading={login.isPending} data-testid="login-submit">
            Log in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

export function meta() {
  return [{ title: "Log in · VoltLab" }];
}
