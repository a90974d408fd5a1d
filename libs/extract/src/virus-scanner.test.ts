import { ConfigError } from "@devflow/util-config";
import { afterEach, describe, expect, it } from "vitest";
import { EICAR_TEST_FILE, startFakeClamd, type FakeClamd } from "./testing/fake-clamd";
import { createVirusScanner, createVirusScannerFromConfig, VirusScanError } from "./virus-scanner";

const servers: FakeClamd[] = [];
async function clamd(options?: Parameters<typeof startFakeClamd>[0]): Promise<FakeClamd> {
  const server = await startFakeClamd(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("createVirusScanner", () => {
  it("reports a clean file, streamed as INSTREAM chunks", async () => {
    const server = await clamd();
    const scanner = createVirusScanner({ host: server.host, port: server.port, timeoutMs: 5_000 });
    const bytes = Buffer.alloc(150 * 1024, "a");
    expect(await scanner.scan(bytes)).toEqual({ clean: true });
    expect(server.commands).toHaveLength(1);
    expect(server.commands[0]).toMatchObject({ raw: "zINSTREAM", chunkLengths: [65_536, 65_536, 22_528] });
    expect(server.commands[0]!.data.equals(bytes)).toBe(true);
  });

  it("reports the signature clamd found", async () => {
    const server = await clamd();
    const scanner = createVirusScanner({ host: server.host, port: server.port, timeoutMs: 5_000 });
    expect(await scanner.scan(Buffer.from(EICAR_TEST_FILE))).toEqual({
      clean: false,
      signature: "Eicar-Test-Signature",
    });
  });

  it("calls an empty file clean without asking clamd", async () => {
    const server = await clamd();
    const scanner = createVirusScanner({ host: server.host, port: server.port, timeoutMs: 5_000 });
    expect(await scanner.scan(Buffer.alloc(0))).toEqual({ clean: true });
    expect(server.commands).toEqual([]);
  });

  it("fails with a non-retryable VirusScanError when clamd refuses the stream", async () => {
    const server = await clamd({ streamMaxLength: 1024 });
    const scanner = createVirusScanner({ host: server.host, port: server.port, timeoutMs: 5_000 });
    const error = await scanner
      .scan(Buffer.alloc(512))
      .then(() => scanner.scan(Buffer.alloc(4096)))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VirusScanError);
    expect(error).toMatchObject({
      code: "unavailable",
      retryable: false,
      message: expect.stringMatching(/size limit/),
    });
  });

  it("fails with a retryable VirusScanError when clamd is unreachable", async () => {
    const server = await clamd();
    await server.close();
    const scanner = createVirusScanner({ host: server.host, port: server.port, timeoutMs: 5_000 });
    await expect(scanner.scan(Buffer.from("hello"))).rejects.toMatchObject({ name: "VirusScanError", retryable: true });
  });

  it("gives up after timeoutMs when clamd never answers", async () => {
    const server = await clamd({ silent: true });
    const scanner = createVirusScanner({ host: server.host, port: server.port, timeoutMs: 300 });
    await expect(scanner.scan(Buffer.from("hello"))).rejects.toMatchObject({
      name: "VirusScanError",
      retryable: true,
      message: expect.stringMatching(/did not answer within 300 ms/),
    });
  });
});

describe("createVirusScannerFromConfig", () => {
  it("returns null when CLAMAV_HOST is unset", () => {
    expect(createVirusScannerFromConfig({})).toBeNull();
    expect(createVirusScannerFromConfig({ CLAMAV_HOST: "" })).toBeNull();
  });

  it("scans through the configured clamd", async () => {
    const server = await clamd();
    const scanner = createVirusScannerFromConfig({ CLAMAV_HOST: server.host, CLAMAV_PORT: String(server.port) });
    expect(await scanner?.scan(Buffer.from("hello"))).toEqual({ clean: true });
  });

  it("names a bad port", () => {
    expect(() => createVirusScannerFromConfig({ CLAMAV_HOST: "clamav", CLAMAV_PORT: "eighty" })).toThrow(ConfigError);
  });
});
