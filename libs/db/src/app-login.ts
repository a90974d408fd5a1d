import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import pg from "pg";

/** The role the apps run as: created NOLOGIN by the migrations, obeying row-level security. */
export const APP_ROLE = "devflow_app";

/**
 * The verifier PostgreSQL stores for a SCRAM-SHA-256 password (RFC 7677, PostgreSQL's own layout).
 * Sending this instead of the password keeps the password out of the server's statement log.
 */
export function scramSha256Verifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  // PostgreSQL runs SASLprep; for the ASCII passwords deployments generate, NFKC is the same thing.
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/**
 * Gives the apps' role a login with `password`. Run by the migration job with the owner's URL, so
 * the apps connect as devflow_app itself and never hold the owner's credentials.
 */
export async function enableAppLogin(ownerUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const verifier = client.escapeLiteral(scramSha256Verifier(password));
    await client.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN PASSWORD ${verifier}`);
  } finally {
    await client.end();
  }
}
