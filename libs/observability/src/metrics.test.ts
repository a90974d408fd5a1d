import { register as globalRegistry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics";

describe("createMetrics", () => {
  it("renders the HTTP request histogram with service, method, route and status", async () => {
    const metrics = createMetrics("collab");
    metrics.httpRequestDuration.observe(
      { service: "collab", method: "GET", route: "/health/ready", status: "503" },
      0.042,
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain("# TYPE devflow_http_request_duration_seconds histogram");
    expect(text).toContain(
      'devflow_http_request_duration_seconds_bucket{le="0.05",service="collab",method="GET",route="/health/ready",status="503"} 1',
    );
    expect(text).toContain(
      'devflow_http_request_duration_seconds_bucket{le="0.025",service="collab",method="GET",route="/health/ready",status="503"} 0',
    );
  });

  it("includes the process metrics, prefixed and labelled with the service", async () => {
    const text = await createMetrics("ai").registry.metrics();
    expect(text).toMatch(/^devflow_process_resident_memory_bytes\{service="ai"\} \d+/m);
  });

  it("gives each service its own registry and leaves the global one alone", async () => {
    const collab = createMetrics("collab");
    const ai = createMetrics("ai");
    collab.httpRequestDuration.observe({ service: "collab", method: "GET", route: "/x", status: "200" }, 0.1);
    expect(await ai.registry.metrics()).not.toContain('route="/x"');
    expect(await globalRegistry.metrics()).not.toContain("devflow_");
  });
});
