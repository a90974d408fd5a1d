"use client";

import type { SessionDto } from "@devflow/contracts";
import { api, errorMessage, useAppDispatch, useDevSignInMutation } from "@devflow/web-data-access";
import { Alert, Avatar } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState } from "react";

export interface DemoUser {
  email: string;
  name: string;
}

/** Development sign-in: one click per seeded demo user. */
export function SignInForm({ demoUsers }: { demoUsers: readonly DemoUser[] }) {
  const router = useRouter();
  const dispatch = useAppDispatch();
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

  return (
    <>
      {demoUsers.length > 0 && (
        <>
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
          {error !== undefined && <Alert>{errorMessage(error)}</Alert>}
        </>
      )}
    </>
  );
}
