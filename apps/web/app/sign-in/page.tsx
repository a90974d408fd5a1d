import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/safe-redirect";
import { webConfig } from "@/lib/config";
import { currentSession } from "@/lib/page-session";
import { EmailFirstSignIn } from "@/modules/sign-in/EmailFirstSignIn";
import { signInErrorMessage } from "@/modules/sign-in/sign-in-errors";
import { SignInForm } from "@/modules/sign-in/SignInForm";

export const metadata: Metadata = { title: "Sign in" };

// The users `npm run dev` seeds (prisma/seed/demo.ts); only offered when development sign-in is on.
const DEMO_USERS = [
  { email: "ada@demo.devflow.dev", name: "Ada Lovelace" },
  { email: "grace@demo.devflow.dev", name: "Grace Hopper" },
] as const;

type SearchParams = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const error = first(params.error);
  const next = safeNextPath(first(params.next));
  // Signed in already: go on — unless we were sent here to sign in differently (e.g. SSO required).
  if (!error && (await currentSession())) redirect(next);
  const isDevSignInEnabled = webConfig().DEVFLOW_DEV_SIGN_IN;
  const connection = first(params.connection);

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-card__brand">
          <span className="brand-mark" aria-hidden>
            D
          </span>
          DevFlow
        </div>
        <div>
          <h1 className="auth-card__title">Sign in</h1>
          <p className="auth-card__lead">
            Enter your email. Companies with single sign-on send you to their identity provider.
          </p>
        </div>
        <EmailFirstSignIn
          next={next}
          connectionId={connection && /^[0-9a-f-]{36}$/i.test(connection) ? connection : null}
          isDevSignInEnabled={isDevSignInEnabled}
          initialError={error ? signInErrorMessage(error, first(params.organization)) : null}
        />
        {isDevSignInEnabled && (
          <>
            <div className="divider">or continue as a demo user (development)</div>
            <SignInForm demoUsers={DEMO_USERS} />
          </>
        )}
        <p className="fine-print">
          {isDevSignInEnabled
            ? "Development sign-in is on (DEVFLOW_DEV_SIGN_IN); it is never available when DEVFLOW_ENV=production."
            : "By signing in you agree to your organization's policies."}
        </p>
      </div>
    </main>
  );
}
