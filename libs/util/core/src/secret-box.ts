import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/*
 * Layout of a sealed secret: [version (1 byte)][IV (12 bytes)][GCM tag (16 bytes)][ciphertext].
 * The version byte lets a later key or algorithm change read old rows and rewrite them lazily.
 */
const VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/**
 * Encrypts `plaintext` with AES-256-GCM under a 32-byte key. `context` is bound as additional
 * authenticated data (for example the id of the row that stores the result), so a sealed value
 * copied into another row, or opened for another purpose, fails to open instead of being trusted.
 */
export function sealSecret(key: Uint8Array, plaintext: string, context: string): Uint8Array<ArrayBuffer> {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const sealed = new Uint8Array(HEADER_BYTES + ciphertext.length);
  sealed[0] = VERSION;
  sealed.set(iv, 1);
  sealed.set(cipher.getAuthTag(), 1 + IV_BYTES);
  sealed.set(ciphertext, HEADER_BYTES);
  return sealed;
}

/**
 * Decrypts what `sealSecret` produced with the same key and context. Throws when the key or
 * context differ, or when a single byte was changed: GCM authenticates before anything is returned.
 */
export function openSecret(key: Uint8Array, sealed: Uint8Array, context: string): string {
  assertKey(key);
  if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) {
    throw new Error(`Sealed secret has an unknown layout (version ${sealed[0] ?? "none"})`);
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new Error("Sealed secret cannot be opened: wrong key, wrong context, or altered bytes", { cause: error });
  }
}

function assertKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new Error(`Encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
}
