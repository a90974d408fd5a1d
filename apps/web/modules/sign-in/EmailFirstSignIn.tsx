"use client";

import type { SessionDto, SignInOptionsDto } from "@devflow/contracts";
import {
  api,
  errorMessage,
  useAppDispatch,
  useDevSignInMutation,
  useDiscoverSignInMutation,
} from "@devflow/web-data-access";
import { Alert, Button, TextField } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { completionUrl, startSignIn } from "./next-auth-client";

export interface EmailFirstSignInProps {
  /** A path on this site to return to once signed in. */
  next: string;
  /** An SSO connection to start right away (the "Test sign-in" link in SSO settings). */
  connectionId?: string | null;
  isDevSignInEnabled: boolean;
  initialError?: string | null;
}

type Step =
  | { name: "email" }
  | { name: "choose"; options: SignInOptionsDto }
  | { name: "redirecting"; to: string }
  | { name: "sent"; email: string };

/**
 * Email first: the address decides the way in. A verified company domain goes straight to its IdP;
 * anyone else gets a one-time link by email (or GitHub, when configured).
 */
export function EmailFirstSignIn({ next, connectionId, isDevSignInEnabled, initialError }: EmailFirstSignInProps) {
  const router = useRouter();
  const dispatch = useAppDispatch();
  const [email, setEmail] = useState("");
  const [step, setStep] = useState<Step>({ name: "email" });
  const [failure, setFailure] = useState<string | null>(initialError ?? null);
  const [isStarting, setIsStarting] = useState(false);
  const [discover, discovery] = useDiscoverSignInMutation();
  const [devSignIn, devResult] = useDevSignInMutation();
  const startedConnection = useRef(false);

  async function start(providerId: string, fields: Record<string, string>, redirecting: string) {
    setFailure(null);
    setIsStarting(true);
    try {
      const target = await startSignIn(providerId, { ...fields, callbackUrl: completionUrl(next) });
      if (target.searchParams.has("error")) {
        // A refusal (e.g. the organization enforces SSO): load the sign-in page that explains it.
        window.location.assign(target.toString());
        return;
      }
      if (providerId === "email") {
        setStep({ name: "sent", email: fields.email ?? email });
        return;
      }
      setStep({ name: "redirecting", to: redirecting });
      window.location.assign(target.toString());
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setIsStarting(false);
    }
  }

  useEffect(() => {
    if (connectionId && !startedConnection.current) {
      startedConnection.current = true;
      void start(`sso-${connectionId}`, {}, "your identity provider");
    }
    // Deliberately keyed on the connection only: re-running start() would begin a second sign-in.
  }, [connectionId]);

  async function submitEmail(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const result = await discover({ email: email.trim() });
    if (!result.data) return;
    const options = result.data;
    if (options.sso) {
      await start(`sso-${options.sso.connectionId}`, {}, `${options.sso.organizationName}'s sign-in`);
      return;
    }
    setStep({ name: "choose", options });
  }

  async function signInAsDeveloper() {
    const result = await devSignIn({ email: email.trim() });
    if (result.data) enter(result.data);
  }

  function enter(session: SessionDto) {
    dispatch(api.util.resetApiState());
    const current = session.organizations.find((o) => o.id === session.currentOrganizationId);
    router.replace(next !== "/" ? next : current ? `/${current.slug}` : "/");
    router.refresh();
  }

  if (step.name === "redirecting") {
    return (
      <p className="auth-card__lead" role="status" data-testid="sign-in-redirecting">
        Taking you to {step.to}…
      </p>
    );
  }

  if (step.name === "sent") {
    return (
      <div className="form-stack" data-testid="sign-in-sent">
        <Alert tone="info">
          We sent a sign-in link to <strong>{step.email}</strong>. It works once, for 15 minutes.
        </Alert>
        <Button variant="secondary" onClick={() => setStep({ name: "email" })}>
          Use a different email
        </Button>
      </div>
    );
  }

  const discoveryError = discovery.error !== undefined ? errorMessage(discovery.error) : null;
  const devError = devResult.error !== undefined ? errorMessage(devResult.error) : null;
  const shownError = failure ?? discoveryError ?? devError;

  return (
    <form className="form-stack" onSubmit={submitEmail} noValidate data-testid="sign-in-form">
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        value={email}
        placeholder="you@company.com"
        hint="Work email: if your company uses single sign-on, we take you there."
        required
        autoFocus
        readOnly={step.name === "choose"}
        onChange={(event) => setEmail(event.target.value)}
      />
      {shownError && <Alert>{shownError}</Alert>}
      {step.name === "email" && (
        <Button
          type="submit"
          variant="primary"
          isLoading={discovery.isLoading || isStarting}
          disabled={email.trim() === "" || discovery.isLoading || isStarting}
          data-testid="sign-in-submit"
        >
          Continue
        </Button>
      )}
      {step.name === "choose" && (
        <div className="form-stack" data-testid="sign-in-options">
          {step.options.ssoRequired ? (
            <Alert>
              Your organization requires single sign-on, but it has no connection that can sign you in yet. Ask an
              admin.
            </Alert>
          ) : (
            <>
              <Button
                type="button"
                variant="primary"
                isLoading={isStarting}
                disabled={isStarting}
                data-testid="sign-in-email-link"
                onClick={() => void start("email", { email: step.options.email }, "your inbox")}
              >
                Email me a sign-in link
              </Button>
              {step.options.github && (
                <Button
                  type="button"
                  variant="secondary"
                  disabled={isStarting}
                  onClick={() => void start("github", {}, "GitHub")}
                >
                  Continue with GitHub
                </Button>
              )}
              {isDevSignInEnabled && (
                <Button
                  type="button"
                  variant="secondary"
                  isLoading={devResult.isLoading}
                  disabled={devResult.isLoading}
                  data-testid="sign-in-dev"
                  onClick={() => void signInAsDeveloper()}
                >
                  Sign in without email (development)
                </Button>
              )}
            </>
          )}
          <Button type="button" variant="ghost" onClick={() => setStep({ name: "email" })}>
            Use a different email
          </Button>
        </div>
      )}
    </form>
  );
}
