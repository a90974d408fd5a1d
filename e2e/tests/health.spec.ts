import { randomUUID } from "node:crypto";
import { HealthReportSchema } from "@devflow/contracts";
import { expect, test } from "@playwright/test";
import { E2E_PORTS } from "../support/ports";

// Probes and metrics of every app the stack runs, each as its own process on its own port.
for (const [service, port] of Object.entries(E2E_PORTS)) {
  test.describe(`${service} (port ${port})`, () => {
    const base = `http://localhost:${port}`;

    test("/health/live answers 200 ok with a request id", async ({ request }) => {
      const response = await request.get(`${base}/health/live`);
      expect(response.status()).toBe(200);
      expect(response.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(await response.json()).toMatchObject({ status: "ok" });
    });

    test("/health/ready reports ok with a passing database check", async ({ request }) => {
      const response = await request.get(`${base}/health/ready`);
      expect(response.status()).toBe(200);
      expect(response.headers()["x-request-id"]).toBeTruthy();
      const report = HealthReportSchema.parse(await response.json());
      expect(report.status).toBe("ok");
      expect(report.service).toBe(service);
      expect(report.checks).toContainEqual(expect.objectContaining({ name: "database", ok: true }));
      expect(report.checks.every((check) => check.ok)).toBe(true);
    });

    test("/metrics serves Prometheus text with devflow_ series for this service", async ({ request }) => {
      // One request first, so the request histogram has a sample to show.
      await request.get(`${base}/health/live`);
      const response = await request.get(`${base}/metrics`);
      expect(response.status()).toBe(200);
      expect(response.headers()["x-request-id"]).toBeTruthy();
      expect(response.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain("# TYPE devflow_http_request_duration_seconds histogram");
      expect(text).toMatch(/^devflow_process_cpu_user_seconds_total\{[^}]*service="\w+"[^}]*\} \d/m);
      expect(text).toContain(`service="${service}"`);
      // Only this service's series: the registries are per app, never the process-global one.
      for (const other of Object.keys(E2E_PORTS).filter((s) => s !== service)) {
        expect(text).not.toContain(`service="${other}"`);
      }
    });

    test("echoes a caller's x-request-id and replaces an unsafe one", async ({ request }) => {
      const id = `e2e-${randomUUID()}`;
      const echoed = await request.get(`${base}/health/live`, { headers: { "x-request-id": id } });
      expect(echoed.headers()["x-request-id"]).toBe(id);
      const unsafe = await request.get(`${base}/health/live`, { headers: { "x-request-id": "x".repeat(200) } });
      expect(unsafe.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
