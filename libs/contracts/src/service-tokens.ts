import { z } from "zod";

/** The services that accept tokens minted by the web app. */
export const SERVICE_TOKEN_SERVICES = ["collab", "ai", "worker"] as const;
export const ServiceTokenServiceSchema = z.enum(SERVICE_TOKEN_SERVICES);
export type ServiceTokenService = z.infer<typeof ServiceTokenServiceSchema>;

/** `POST /api/v1/service-tokens`: a token for the caller, in their current organization, for one service. */
export const CreateServiceTokenInputSchema = z.object({ audience: ServiceTokenServiceSchema });
export type CreateServiceTokenInput = z.infer<typeof CreateServiceTokenInputSchema>;

export const ServiceTokenSchema = z.object({
  /** Send as `Authorization: Bearer <token>` (ai, worker) or Socket.io `auth: { token }` (collab). */
  token: z.string(),
  /** Ask for a new token before this instant; they last minutes. */
  expiresAt: z.iso.datetime(),
});
export type ServiceTokenDto = z.infer<typeof ServiceTokenSchema>;
