import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { webConfig } from "@/lib/config";
import { currentSession } from "@/lib/page-session";
import { SignInForm } from "@/modules/sign-in/SignInForm";

export const metadata: Metadata = { title: "Sign in" };

// The users `npm run dev` seeds (prisma/seed/demo.ts); only offered when development sign-in is on.
const DEMO_USERS = [
  { email: "ada@demo.devflow.dev", name: "Ada Lovelace" },
  { email: "grace@demo.devflow.dev", name: "Grace Hopper" },
] as const;

export default async function SignInPage() {
  if (await currentSession()) redirect("/");
  const isDevSignInEnabled = webConfig().DEVFLOW_DEV_SIGN_IN;
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
            {isDevSignInEnabled
              ? "Development sign-in: pick any existing user. Single sign-on replaces this in production."
              : "Single sign-on is not configured yet, and development sign-in is turned off (DEVFLOW_DEV_SIGN_IN)."}
          </p>
        </div>
        {isDevSignInEnabled && <SignInForm demoUsers={DEMO_USERS} />}
        <p className="fine-print">Development sign-in is never available when DEVFLOW_ENV=production.</p>
      </div>
    </main>
  );
}
