import { API_TOKEN_EXPIRY_CHOICES, API_TOKEN_SCOPES, type ApiTokenDto, type ApiTokenScope } from "@devflow/contracts";

/** Each choice grants its scope and the ones below it, as the permission policy reads scopes. */
export const ACCESS_CHOICES: Record<ApiTokenScope, { label: string; description: string }> = {
  read: { label: "Read", description: "Read projects, documents and members." },
  write: { label: "Read and write", description: "Also create and change projects and documents." },
  admin: { label: "Admin", description: "Also manage members, projects' access and settings." },
};

/** The scopes a token gets for the chosen access level: that scope and every one below it. */
export function scopesUpTo(access: ApiTokenScope): ApiTokenScope[] {
  return API_TOKEN_SCOPES.slice(0, API_TOKEN_SCOPES.indexOf(access) + 1);
}

/** The highest scope a token holds, which is how the list names its access. */
export function accessOf(scopes: readonly ApiTokenScope[]): ApiTokenScope {
  return [...API_TOKEN_SCOPES].reverse().find((s) => scopes.includes(s)) ?? "read";
}

export const EXPIRY_OPTIONS = API_TOKEN_EXPIRY_CHOICES.map((days) => ({
  value: days === null ? "never" : String(days),
  label: days === null ? "No expiry" : days === 365 ? "1 year" : `${days} days`,
}));

export function expiryDaysOf(value: string): number | null {
  return value === "never" ? null : Number(value);
}

/** `dfp_…Ab3dEf9h`: the organization part is the same for every token, so only the end tells them apart. */
export function shortPrefix(prefix: string): string {
  return `dfp_…${prefix.slice(-8)}`;
}

export function isExpired(token: Pick<ApiTokenDto, "expiresAt">, now: number = Date.now()): boolean {
  return token.expiresAt !== null && new Date(token.expiresAt).getTime() <= now;
}
