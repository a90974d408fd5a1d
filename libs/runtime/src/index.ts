export { runService } from "./run-service";
export type { RunServiceOptions } from "./run-service";
