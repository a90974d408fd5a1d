import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box";

const key = randomBytes(32);

describe("secret box", () => {
  it("opens what it sealed with the same key and context", () => {
    const sealed = sealSecret(key, "client-secret-ünïcode", "connection-1");
    expect(openSecret(key, sealed, "connection-1")).toBe("client-secret-ünïcode");
  });

  it("uses a fresh IV for every seal, so equal secrets do not look equal at rest", () => {
    const a = sealSecret(key, "same", "ctx");
    const b = sealSecret(key, "same", "ctx");
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a).includes(Buffer.from("same"))).toBe(false);
  });

  it("refuses a sealed value with any byte changed", () => {
    const sealed = sealSecret(key, "secret", "ctx");
    for (const index of [0, 5, 20, sealed.length - 1]) {
      const tampered = Uint8Array.from(sealed);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(() => openSecret(key, tampered, "ctx")).toThrow();
    }
  });

  it("refuses a truncated value", () => {
    expect(() => openSecret(key, sealSecret(key, "secret", "ctx").subarray(0, 10), "ctx")).toThrow(/layout/);
  });

  it("refuses to open under another context, so a ciphertext cannot move to another row", () => {
    const sealed = sealSecret(key, "secret", "connection-1");
    expect(() => openSecret(key, sealed, "connection-2")).toThrow(/wrong key, wrong context/);
  });

  it("refuses to open with another key", () => {
    const sealed = sealSecret(key, "secret", "ctx");
    expect(() => openSecret(randomBytes(32), sealed, "ctx")).toThrow(/wrong key, wrong context/);
  });

  it("rejects keys that are not 32 bytes", () => {
    expect(() => sealSecret(randomBytes(16), "secret", "ctx")).toThrow(/32 bytes/);
  });
});
