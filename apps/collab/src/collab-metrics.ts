import { Counter, Histogram, type Registry } from "prom-client";

export interface CollabMetrics {
  ops: Counter<"outcome">;
  ackSeconds: Histogram;
}

export function createMetrics(registry: Registry | undefined): CollabMetrics {
  const registers = registry ? [registry] : [];
  return {
    ops: new Counter({
      name: "devflow_collab_ops_total",
      help: "Ops received, by outcome: committed, duplicate, refused, rate_limited.",
      labelNames: ["outcome"],
      registers,
    }),
    ackSeconds: new Histogram({
      name: "devflow_collab_op_ack_seconds",
      help: "From receiving an op to acking it (durable in the database).",
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}
