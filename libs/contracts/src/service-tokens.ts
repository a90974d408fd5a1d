import { z } from "zod";

/** The services that accept tokens minted by the web app. */
export const SERVICE_TOKEN_SERVICES = ["collab", "ai", "worker"] as const;
export const ServiceTokenServiceSchema = z.enum(SERVICE_TOKEN_SERVICES);
export type ServiceTokenService = z.infer<typeof ServiceTokenServiceSchema>;

/** Longest `agent` name a service token carries, e.g. "Claude via MCP". */
export const SERVICE_TOKEN_AGENT_MAX = 60;

/**
 * The program acting for the user, as people should see it ("Claude via MCP"). Printable text
 * only: it is shown to everyone in the document as "<agent>, for <name>".
 */
export const ServiceTokenAgentSchema = z
  .string()
  .trim()
  .min(1)
  .max(SERVICE_TOKEN_AGENT_MAX)
  .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u, "must be printable text");

/** `POST /api/v1/service-tokens`: a token for the caller, in their current organization, for one service. */
export const CreateServiceTokenInputSchema = z.object({
  audience: ServiceTokenServiceSchema,
  /** Set when an agent (an MCP client) acts for the user; collab shows it in presence. */
  agent: ServiceTokenAgentSchema.optional(),
});
export type CreateServiceTokenInput = z.infer<typeof CreateServiceTokenInputSchema>;

export const ServiceTokenSchema = z.object({
  /** Send as `Authorization: Bearer <token>` (ai, worker) or Socket.io `auth: { token }` (collab). */
  token: z.string(),
  /** Ask for a new token before this instant; they last minutes. */
  expiresAt: z.iso.datetime(),
});
export type ServiceTokenDto = z.infer<typeof ServiceTokenSchema>;
