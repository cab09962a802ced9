import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { registerInput } from "../../server/schemas/auth";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import { AuthCard } from "../components/auth-card";

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  return null;
}

export default function Register() {
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
      title="Create an account"
      subtitle={
        <>
          Already registered?{" "}
          <Anchor component={Link} to="/login">
            Log in
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
            label="Display name"
            name="displayName"
            autoComplete="name"
            {...form.getInputProps("displayName")}
          />
          <TextInput label="Email" type="email" name="email" autoComplete="email" {...form.getInputProps("email")} />
          <PasswordInput
            label="Password"
            description="At least 10 characters"
            name="password"
            autoComplete="new-password"
            {...form.getInputProps("password")}
          />
          <Button type="submit" loading={register.isPending} data-testid="register-submit">
            Register
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

export function meta() {
  return [{ title: "Register · VoltLab" }];
}
