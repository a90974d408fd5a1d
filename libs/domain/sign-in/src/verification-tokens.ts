import type { Database } from "@devflow/db";

/** At most this many unused links per email; older ones are dropped when a new one is sent. */
export const MAX_PENDING_LINKS = 5;

export interface VerificationToken {
  identifier: string;
  tokenHash: string;
  expiresAt: Date;
}

/**
 * One-time email sign-in links. The table is global (nobody is in an organization yet), so these go
 * through withSystem; only hashes are stored, and using a token deletes it.
 */
export function createVerificationTokenStore(db: Database) {
  return {
    async create(token: VerificationToken): Promise<void> {
      await db.withSystem("email sign-in: store a one-time link", async (tx) => {
        await tx.verificationToken.deleteMany({
          where: { OR: [{ identifier: token.identifier, expiresAt: { lt: new Date() } }] },
        });
        const pending = await tx.verificationToken.findMany({
          where: { identifier: token.identifier },
          orderBy: { createdAt: "desc" },
          skip: MAX_PENDING_LINKS - 1,
          select: { tokenHash: true },
        });
        if (pending.length > 0) {
          await tx.verificationToken.deleteMany({ where: { tokenHash: { in: pending.map((p) => p.tokenHash) } } });
        }
        await tx.verificationToken.create({ data: token });
      });
    },

    /** The token, consumed; null when unknown, already used or expired (an expired one is consumed too). */
    async use(identifier: string, tokenHash: string): Promise<VerificationToken | null> {
      return db.withSystem("email sign-in: consume a one-time link", async (tx) => {
        const found = await tx.verificationToken.findUnique({ where: { tokenHash } });
        if (!found || found.identifier !== identifier) return null;
        await tx.verificationToken.delete({ where: { tokenHash } });
        return found.expiresAt > new Date() ? found : null;
      });
    },
  };
}
export type VerificationTokenStore = ReturnType<typeof createVerificationTokenStore>;
