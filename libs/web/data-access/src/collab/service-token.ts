import { ServiceTokenSchema, type ServiceTokenDto, type ServiceTokenService } from "@devflow/contracts";
import { API_BASE_URL } from "../api";
import { ORGANIZATION_HEADER } from "../base-query";

/** Asks the web app for a short-lived token for `audience`, acting in `organizationId`. */
export async function fetchServiceToken(
  organizationId: string,
  audience: ServiceTokenService,
  fetchFn: typeof fetch = fetch,
): Promise<ServiceTokenDto> {
  const response = await fetchFn(`${API_BASE_URL}/service-tokens`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", [ORGANIZATION_HEADER]: organizationId },
    body: JSON.stringify({ audience }),
  });
  if (!response.ok) throw new Error(`Could not get a ${audience} token: the server answered ${response.status}`);
  return ServiceTokenSchema.parse(await response.json());
}

export interface TokenSource {
  /** A token valid for at least `refreshMarginMs`, fetched anew when the cached one is close to expiry. */
  get(): Promise<string>;
  /** Forgets the cached token, e.g. after the server refused it. */
  invalidate(): void;
}

export interface TokenSourceOptions {
  /** Fetches a new token. */
  fetchToken: () => Promise<ServiceTokenDto>;
  /** How long before `expiresAt` a token stops being reused. */
  refreshMarginMs?: number;
  now?: () => number;
}

/** Caches a service token until shortly before it expires; concurrent callers share one request. */
export function createTokenSource({
  fetchToken,
  refreshMarginMs = 30_000,
  now = Date.now,
}: TokenSourceOptions): TokenSource {
  let cached: { token: string; expiresAt: number } | null = null;
  let inflight: Promise<string> | null = null;
  return {
    get() {
      if (cached && cached.expiresAt - refreshMarginMs > now()) return Promise.resolve(cached.token);
      inflight ??= fetchToken()
        .then(({ token, expiresAt }) => {
          cached = { token, expiresAt: Date.parse(expiresAt) };
          return token;
        })
        .finally(() => {
          inflight = null;
        });
      return inflight;
    },
    invalidate() {
      cached = null;
    },
  };
}
