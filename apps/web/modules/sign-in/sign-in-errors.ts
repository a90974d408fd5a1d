/** What the sign-in page says for each `?error=` next-auth or DevFlow sends people back with. */
export function signInErrorMessage(code: string, organization?: string | null): string {
  switch (code) {
    case "sso_required":
      return `${organization ?? "Your organization"} requires signing in with its single sign-on. Enter your work email to continue.`;
    case "Verification":
      return "That sign-in link has expired or was already used. Ask for a new one below.";
    case "domain_not_verified":
      return "Your email's domain is not verified for this organization's single sign-on. Ask an admin to verify it.";
    case "membership_deactivated":
      return "Your access to this organization has been turned off. Ask one of its admins.";
    case "email_unverified":
      return "Your identity provider says your email address is not verified, so we could not sign you in.";
    case "connection_unavailable":
      return "That single sign-on connection is turned off. Ask your organization's admin.";
    case "email_missing":
      return "Your identity provider did not share a verified email address, so we could not sign you in.";
    case "session_expired":
      return "Signing in took too long. Please start again.";
    case "AccessDenied":
      return "You do not have access.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "Callback":
    case "OAuthCreateAccount":
      return "Signing in with your identity provider did not complete. Try again, or ask your admin to check the SSO connection.";
    case "EmailSignin":
      return "We could not send the sign-in email. Try again in a moment.";
    default:
      return `Sign-in failed (${code}). Try again.`;
  }
}
