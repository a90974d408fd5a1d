import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { AppError } from "@devflow/util-core";

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/*
 * Registrable-looking names that are really shared suffixes: claiming one would claim every
 * company below it. Not the whole Public Suffix List, just the ones people actually type.
 */
const SHARED_SUFFIXES = new Set([
  "co.uk",
  "org.uk",
  "ac.uk",
  "gov.uk",
  "com.au",
  "net.au",
  "org.au",
  "co.nz",
  "co.jp",
  "ne.jp",
  "co.in",
  "co.za",
  "com.br",
  "com.cn",
  "com.mx",
  "com.tr",
  "co.kr",
  "github.io",
  "vercel.app",
  "herokuapp.com",
  "appspot.com",
  "cloudfront.net",
  "azurewebsites.net",
  "pages.dev",
  "netlify.app",
]);

/**
 * An email domain in the one form stored and compared: lowercase ASCII (IDNs as punycode), no
 * trailing dot. Rejects IP addresses, single labels ("com", "localhost") and shared suffixes.
 */
export function normalizeDomain(input: string): string {
  const trimmed = input.trim().toLowerCase().replace(/\.$/, "");
  if (isIP(trimmed) || isIP(trimmed.replace(/^\[|\]$/g, ""))) throw invalid(input, "an IP address is not a domain");
  const ascii = domainToASCII(trimmed);
  if (!ascii || ascii.length > 253) throw invalid(input, "it is not a valid domain name");
  const labels = ascii.split(".");
  if (labels.length < 2) throw invalid(input, "give the full domain, such as example.com");
  if (!labels.every((label) => LABEL.test(label))) throw invalid(input, "it is not a valid domain name");
  if (/^\d+$/.test(labels.at(-1)!)) throw invalid(input, "it is not a valid domain name");
  if (SHARED_SUFFIXES.has(ascii)) throw invalid(input, "it is a shared suffix, not an organization's domain");
  return ascii;
}

/** The domain part of an email address, normalized, or null when there is none or it is not a domain. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf("@");
  if (at < 1 || at === email.length - 1) return null;
  try {
    return normalizeDomain(email.slice(at + 1));
  } catch {
    return null;
  }
}

function invalid(input: string, why: string): AppError {
  return new AppError("validation_failed", `"${input.slice(0, 100)}" cannot be claimed: ${why}`, {
    report: false,
    details: { issues: [{ path: "domain", message: `Cannot be claimed: ${why}`, code: "custom" }] },
  });
}
