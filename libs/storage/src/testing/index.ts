export { describeBlobStoreConformance } from "./blob-store-conformance";
export type { BlobStoreFixture } from "./blob-store-conformance";
export { startFakeGcsServer } from "./fake-gcs-server";
export type { FakeGcsObject, FakeGcsRequest, FakeGcsServer, FakeGcsServerOptions } from "./fake-gcs-server";
