export { createControlledStore } from "./controlled-store";
export type { CommitMode, ControlledStore } from "./controlled-store";
export { describeOpStoreContract } from "./op-store.contract";
export type { OpStoreFixture } from "./op-store.contract";
export { randomEdit, seeded } from "./random-edits";
export { countingDatabase } from "./counting-database";
export type { CountingDatabase } from "./counting-database";
