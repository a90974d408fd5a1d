import type { InvitationPreviewDto } from "@devflow/contracts";
import { isAppError } from "@devflow/util-core";
import type { Metadata } from "next";
import Link from "next/link";
import { currentSession } from "@/lib/page-session";
import { services } from "@/lib/services";
import { AcceptInvitation } from "@/modules/invitations/AcceptInvitation";
import { INVITATION_PROBLEMS } from "@/modules/invitations/invitation-messages";

// The token is in the path: no Referer may carry it to another site.
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

/**
 * Where invitation emails link to. Signed out: a sign-in link that comes back here. Signed in: the
 * organization and role, and Accept (the API checks the email, expiry and one-time use again).
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const session = await currentSession();
  const back = `/invite/${encodeURIComponent(token)}`;
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-card__brand">
          <span className="brand-mark" aria-hidden>
            D
          </span>
          DevFlow
        </div>
        <h1 className="auth-card__title">Invitation</h1>
        {session ? (
          <SignedIn token={token} email={session.user.email} />
        ) : (
          <div className="form-stack" data-testid="invitation-signed-out">
            <p className="auth-card__lead">
              Sign in with the email address the invitation was sent to, then accept it here.
            </p>
            <Link
              className="ui-button ui-button--primary"
              href={`/sign-in?${new URLSearchParams({ next: back, callbackUrl: back })}`}
              data-testid="invitation-sign-in"
            >
              Sign in to accept
            </Link>
          </div>
        )}
      </div>
    </main>
  );
}

async function SignedIn({ token, email }: { token: string; email: string }) {
  const invitation = await previewOrNull(token);
  if (!invitation) {
    return (
      <p className="auth-card__lead" role="alert" data-testid="invitation-problem">
        {INVITATION_PROBLEMS.invitation_not_found}
      </p>
    );
  }
  return <AcceptInvitation token={token} invitation={invitation} signedInEmail={email} />;
}

async function previewOrNull(token: string): Promise<InvitationPreviewDto | null> {
  try {
    return await (await services()).invitations.preview(token);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  }
}
