import { createMetrics, type Metrics } from "@devflow/observability";
import { METRICS_KEY, processSingleton } from "./runtime-globals";

/** The web app's own registry (never prom-client's global one: the dev launcher runs every app in one process). */
export function webMetrics(): Metrics {
  return processSingleton(METRICS_KEY, () => createMetrics("web"));
}

/** Path words the API uses; anything else in an API path is an id (or junk) and is labelled `:id`. */
const API_WORDS = new Set([
  "api",
  "v1",
  "session",
  "dev-sign-in",
  "organization",
  "organizations",
  "projects",
  "documents",
  "discover",
  "complete",
  "members",
  "invitations",
  "accept",
  "transfer-ownership",
  "tokens",
  "audit-log",
  "export",
  "sso",
  "connections",
  "domains",
  "verify",
  "enforcement",
  "scim-tokens",
  "service-tokens",
  "integrations",
  "github",
  "slack",
  "failed-jobs",
  "retry",
  "groups",
  "access",
]);

/**
 * A bounded label for a request path: API paths with ids replaced by `:id`, Next's assets as one
 * bucket, and every page as `page` (org slugs and ids would otherwise make a series per URL).
 */
export function routeLabel(pathname: string): string {
  if (pathname.startsWith("/_next/")) return "/_next";
  if (pathname === "/metrics" || pathname === "/health/live" || pathname === "/health/ready") return pathname;
  if (pathname.startsWith("/api/")) {
    return pathname
      .split("/")
      .map((segment) => (segment === "" || API_WORDS.has(segment) ? segment : ":id"))
      .join("/");
  }
  return "page";
}
