"use client";

import type { SessionDto } from "@devflow/contracts";
import { api, errorMessage, useAppDispatch, useDevSignInMutation } from "@devflow/web-data-access";
import { Alert, Avatar, Button, TextField } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

export interface DemoUser {
  email: string;
  name: string;
}

/** Development sign-in: any existing user by email, or one click per seeded demo user. */
export function SignInForm({ demoUsers }: { demoUsers: readonly DemoUser[] }) {
  const router = useRouter();
  const dispatch = useAppDispatch();
  const [email, setEmail] = useState(demoUsers[0]?.email ?? "");
  const [pendingEmail, setPendingEmail] = useState<string | null>(null);
  const [devSignIn, { error, isLoading }] = useDevSignInMutation();

  async function signInAs(address: string) {
    setPendingEmail(address);
    const result = await devSignIn({ email: address.trim() });
    setPendingEmail(null);
    if (result.data) enter(result.data);
  }

  function enter(session: SessionDto) {
    // A previous user's cache must not leak into this session.
    dispatch(api.util.resetApiState());
    const current = session.organizations.find((o) => o.id === session.currentOrganizationId);
    router.replace(current ? `/${current.slug}` : "/");
    router.refresh();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void signInAs(email);
  }

  return (
    <>
      <form className="form-stack" onSubmit={submit} noValidate data-testid="sign-in-form">
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          placeholder="you@company.com"
          hint={`Try ${demoUsers.map((u) => u.email).join(" or ")}`}
          required
          onChange={(event) => setEmail(event.target.value)}
        />
        {error !== undefined && <Alert>{errorMessage(error)}</Alert>}
        <Button
          type="submit"
          variant="primary"
          isLoading={isLoading && pendingEmail === email}
          disabled={email.trim() === "" || isLoading}
          data-testid="sign-in-submit"
        >
          Sign in
        </Button>
      </form>
      {demoUsers.length > 0 && (
        <>
          <div className="divider">or continue as a demo user</div>
          <ul className="demo-users" aria-label="Demo users">
            {demoUsers.map((user) => (
              <li key={user.email}>
                <button
                  type="button"
                  className="demo-user"
                  disabled={isLoading}
                  aria-label={`Sign in as ${user.name} (${user.email})`}
                  data-testid="demo-user"
                  onClick={() => void signInAs(user.email)}
                >
                  <Avatar name={user.name} size={32} />
                  <span className="demo-user__text">
                    <strong>{user.name}</strong>
                    <span className="demo-user__email">{user.email}</span>
                  </span>
                  {pendingEmail === user.email && <span className="ui-spinner" style={{ width: 14, height: 14 }} />}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
