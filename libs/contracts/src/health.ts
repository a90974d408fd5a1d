import { z } from "zod";

export const HealthCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  latencyMs: z.number(),
  error: z.string().optional(),
});

export const HealthReportSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  service: z.string(),
  checks: z.array(HealthCheckSchema),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;
