"use client";

import { CreateOrganizationForm } from "../shell/CreateOrganizationDialog";
import { useOpenOrganization } from "../shell/use-open-organization";

/** For a signed-in user who belongs to no organization yet. */
export function CreateFirstOrganization({ userName }: { userName: string }) {
  const [openOrganization] = useOpenOrganization();
  return (
    <main className="auth-page">
      <div className="auth-card" data-testid="create-first-organization">
        <div>
          <h1 className="auth-card__title">Welcome, {userName}</h1>
          <p className="auth-card__lead">
            You are not in any organization yet. Create one for your team, or ask a colleague to invite you.
          </p>
        </div>
        <CreateOrganizationForm onCreated={(organization) => openOrganization(organization)} />
      </div>
    </main>
  );
}
