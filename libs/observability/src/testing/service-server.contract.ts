import { HealthReportSchema } from "@devflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, type Logger } from "../logger";
import { REQUEST_ID_HEADER } from "../request-id";
import type { AppServer } from "../service/create-service-server";
import { createMemoryLog, type MemoryLog } from "./memory-log";

export interface ServiceServerFactoryOptions {
  logger: Logger;
  /** When given, replaces the database's `ping`, to see how readiness reports a dead database. */
  ping?: () => Promise<void>;
}

/**
 * The behaviour every Node service's HTTP server owes its operators, run once per app against a
 * real database: probes, metrics, request ids in headers and logs, the error envelope, and a
 * close that really stops listening. `create` must build the server on port 0.
 */
export function describeServiceServer(
  service: string,
  create: (options: ServiceServerFactoryOptions) => AppServer,
): void {
  describe(`${service} server`, () => {
    let server: AppServer;
    let url: string;
    let log: MemoryLog;

    beforeAll(async () => {
      log = createMemoryLog();
      server = create({ logger: createLogger({ service, level: "debug", destination: log.destination }) });
      url = await server.listen();
    });
    afterAll(async () => {
      await server?.close();
    });

    it("answers /health/live with ok and a request id", async () => {
      const response = await fetch(`${url}/health/live`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
      expect(response.headers.get(REQUEST_ID_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("reports ready when the database answers", async () => {
      const response = await fetch(`${url}/health/ready`);
      expect(response.status).toBe(200);
      const report = HealthReportSchema.parse(await response.json());
      expect(report).toMatchObject({ status: "ok", service, checks: [{ name: "database", ok: true }] });
      expect(response.headers.get(REQUEST_ID_HEADER)).toBeTruthy();
    });

    it("renders Prometheus metrics with the request histogram for this service", async () => {
      await fetch(`${url}/health/live`);
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(response.headers.get(REQUEST_ID_HEADER)).toBeTruthy();
      const text = await response.text();
      expect(text).toMatch(
        new RegExp(
          `devflow_http_request_duration_seconds_count\\{service="${service}",method="GET",route="/health/live",status="200"\\} [1-9]`,
        ),
      );
      expect(text).toContain("devflow_process_cpu_user_seconds_total");
    });

    it("keeps the caller's request id and logs the request as JSON with it", async () => {
      const response = await fetch(`${url}/no-such-route`, { headers: { [REQUEST_ID_HEADER]: "lb-trace-0042" } });
      expect(response.headers.get(REQUEST_ID_HEADER)).toBe("lb-trace-0042");
      await response.text();
      // onResponse runs after the last byte is written, so the line can trail the response.
      await expect
        .poll(() => log.lines().find((line) => line.requestId === "lb-trace-0042"))
        .toMatchObject({
          service,
          status: 404,
          msg: "request completed",
        });
    });

    it("answers unknown routes with the not_found envelope", async () => {
      const response = await fetch(`${url}/api/v1/nothing-here?token=abc`);
      expect(response.status).toBe(404);
      expect(response.headers.get(REQUEST_ID_HEADER)).toBeTruthy();
      expect(await response.json()).toEqual({
        error: { code: "not_found", message: "No route for GET /api/v1/nothing-here" },
      });
    });

    describe("when the database does not answer", () => {
      let failing: AppServer;
      let failingUrl: string;

      beforeAll(async () => {
        failing = create({
          logger: createLogger({ service, level: "silent" }),
          ping: () =>
            Promise.reject(new Error("connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect")),
        });
        failingUrl = await failing.listen();
      });
      afterAll(async () => {
        await failing?.close();
      });

      it("reports 503 with the failing check named and no stack", async () => {
        const response = await fetch(`${failingUrl}/health/ready`);
        expect(response.status).toBe(503);
        const report = HealthReportSchema.parse(await response.json());
        expect(report.status).toBe("unavailable");
        expect(report.checks).toEqual([
          { name: "database", ok: false, latencyMs: expect.any(Number), error: "connect ECONNREFUSED 10.0.0.5:5432" },
        ]);
      });

      it("stays live, since restarting would not bring the database back", async () => {
        expect((await fetch(`${failingUrl}/health/live`)).status).toBe(200);
      });
    });

    it("stops accepting connections once closed", async () => {
      const other = create({ logger: createLogger({ service, level: "silent" }) });
      const otherUrl = await other.listen();
      expect((await fetch(`${otherUrl}/health/live`)).status).toBe(200);
      await other.close();
      await expect(fetch(`${otherUrl}/health/live`)).rejects.toThrow();
    });
  });
}
