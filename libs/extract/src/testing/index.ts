export { buildDocx, buildPasswordProtectedPdf, buildPdf } from "./document-fixtures";
export type { DocxBlock } from "./document-fixtures";
export { EICAR_TEST_FILE, startFakeClamd } from "./fake-clamd";
export type { FakeClamd, FakeClamdCommand, FakeClamdOptions } from "./fake-clamd";
