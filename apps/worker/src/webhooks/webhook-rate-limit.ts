import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { AppError } from "@devflow/util-core";

/**
 * Caps the deliveries one integration's webhook address accepts per minute, in this process, before
 * anything else is done for them (no secret is opened, no row read): a flood at one address, signed
 * or not, costs little and leaves every other organization's webhooks alone. Over the cap: 429 with
 * Retry-After (Slack retries by itself; GitHub lists the delivery for redelivery).
 */
export async function limitPerIntegration(scope: FastifyInstance, { perMinute }: { perMinute: number }): Promise<void> {
  await scope.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const integration = (request.query as { integration?: unknown }).integration;
      return `${request.routeOptions.url ?? request.url}:${typeof integration === "string" ? integration.slice(0, 100) : ""}`;
    },
    errorResponseBuilder: (_request, context) =>
      new AppError(
        "rate_limited",
        `This webhook address took ${context.max} deliveries in a minute; retry after ${context.after}`,
        {
          report: false,
          details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
        },
      ),
  });
}
