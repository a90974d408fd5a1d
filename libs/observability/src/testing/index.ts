export { createMemoryLog } from "./memory-log";
export type { MemoryLog } from "./memory-log";
export { describeServiceServer } from "./service-server.contract";
export type { ServiceServerFactoryOptions } from "./service-server.contract";
