import { InvalidBlobKeyError } from "./blob-store";

/** Google Cloud Storage's limit on object names (UTF-8 bytes); our charset is ASCII, so characters. */
const MAX_KEY_LENGTH = 1024;
/** The usual file-name limit (ext4, APFS, NTFS), since the local store makes each segment a file or folder. */
const MAX_SEGMENT_LENGTH = 255;
/**
 * Letters, digits, `_`, `-` and `.`, not starting with `.`: that rules out `.` and `..`, hidden
 * files, and the local store's own `.tmp` and `.meta` folders, and needs no escaping in a GCS URL.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Throws `InvalidBlobKeyError` unless `key` is a relative path of `/`-separated segments that is
 * safe as both a file path under the store's directory and a GCS object name: no leading or
 * doubled `/`, no `.` or `..` segments, no backslashes or other punctuation, at most 1024 characters.
 */
export function assertValidBlobKey(key: string): void {
  const reason = invalidKeyReason(key);
  if (reason) throw new InvalidBlobKeyError(key, reason);
}

function invalidKeyReason(key: string): string | null {
  if (typeof key !== "string" || key.length === 0) return "it is empty";
  if (key.length > MAX_KEY_LENGTH) return `it is longer than ${MAX_KEY_LENGTH} characters`;
  if (key.startsWith("/")) return "it is an absolute path";
  for (const segment of key.split("/")) {
    if (segment.length === 0) return "it has an empty path segment (a leading, trailing or doubled /)";
    if (segment === "." || segment === "..") return "it has a . or .. segment";
    if (segment.length > MAX_SEGMENT_LENGTH) return `a segment is longer than ${MAX_SEGMENT_LENGTH} characters`;
    if (!SEGMENT.test(segment)) {
      return "segments may hold only letters, digits, '_', '-' and '.', and may not start with '.'";
    }
  }
  return null;
}
