export { assertValidBlobKey } from "./blob-key";
export { BlobNotFoundError, BlobTooLargeError, InvalidBlobKeyError } from "./blob-store";
export type { BlobInfo, BlobStore, PutBlobOptions, PutBlobResult } from "./blob-store";
export { BlobStoreConfigSchema, createBlobStoreFromConfig, loadBlobStoreConfig } from "./blob-store-config";
export type { BlobStoreConfig } from "./blob-store-config";
export { createGcsBlobStore } from "./gcs-blob-store";
export type { GcsBlobStoreOptions } from "./gcs-blob-store";
export { createLocalBlobStore } from "./local-blob-store";
export type { LocalBlobStoreOptions } from "./local-blob-store";
