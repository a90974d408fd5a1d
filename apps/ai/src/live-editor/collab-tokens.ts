import { createHash } from "node:crypto";
import type { ToolCallContext } from "@devflow/ai-tools";
import { ErrorEnvelopeSchema, SERVICE_TOKEN_AGENT_MAX, ServiceTokenSchema } from "@devflow/contracts";
import { REQUEST_ID_HEADER } from "@devflow/observability";
import { AppError } from "@devflow/util-core";

/** Where the live editor gets a collab service token acting for the tool's caller. */
export interface CollabTokenSource {
  tokenFor(call: ToolCallContext): Promise<string>;
}

export interface WebCollabTokensOptions {
  /** The web app's internal address (WEB_INTERNAL_URL). */
  webUrl: string;
  /** How long to wait for the web app. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/** A cached token is reused while it has at least this long left. */
const REUSE_MARGIN_MS = 60_000;
const CACHE_MAX = 1_000;
const SUFFIX = " via MCP";

/** "Claude" → "Claude via MCP": how presence names the agent, within the service token's limit. */
export function agentLabel(clientName: string): string {
  const printable = clientName.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "").trim() || "An MCP client";
  return `${printable.slice(0, SERVICE_TOKEN_AGENT_MAX - SUFFIX.length).trim()}${SUFFIX}`;
}

/**
 * Asks the web app (`POST /api/v1/service-tokens`, audience collab) for a collab token with the
 * caller's own API token, so the collab service checks the caller's rights as for any editor and
 * only web ever holds the signing key. Tokens are cached per API token and agent until a minute
 * before they expire; the API token itself is re-checked by the MCP server on every request.
 */
export function createWebCollabTokens(options: WebCollabTokensOptions): CollabTokenSource {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const endpoint = new URL("/api/v1/service-tokens", options.webUrl).toString();
  const cache = new Map<string, { token: string; expiresAt: number }>();

  return {
    async tokenFor(call) {
      if (!call.apiToken) {
        throw new AppError("forbidden", "Live edits need the caller's API token to act for them", { report: false });
      }
      const agent = agentLabel(call.agent.name);
      const key = createHash("sha256").update(`${call.apiToken}\n${agent}`).digest("hex");
      const cached = cache.get(key);
      if (cached && cached.expiresAt - now() > REUSE_MARGIN_MS) return cached.token;

      const response = await fetchImpl(endpoint, {
        method: "POST",
        headers: {
          authorization: `Bearer ${call.apiToken}`,
          "content-type": "application/json",
          [REQUEST_ID_HEADER]: call.ctx.requestId,
        },
        body: JSON.stringify({ audience: "collab", agent }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      }).catch((error: unknown) => {
        throw new AppError("unavailable", `Could not reach the web app for a collab token: ${reasonOf(error)}`, {
          cause: error,
        });
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw refusal(response.status, body);
      const parsed = ServiceTokenSchema.safeParse(body);
      if (!parsed.success) throw new AppError("unavailable", "The web app answered the collab token request with junk");
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(key, { token: parsed.data.token, expiresAt: Date.parse(parsed.data.expiresAt) });
      return parsed.data.token;
    },
  };
}

/** The web app's refusal as the same error, so the tool result says why (no write scope, rate limited…). */
function refusal(status: number, body: unknown): AppError {
  const envelope = ErrorEnvelopeSchema.safeParse(body);
  if (status >= 500 || !envelope.success) {
    return new AppError("unavailable", `The web app could not mint a collab token (HTTP ${status})`);
  }
  const { code, message } = envelope.data.error;
  return new AppError(code, message, { report: false });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : "unknown error";
}
