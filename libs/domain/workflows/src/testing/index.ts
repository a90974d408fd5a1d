export { deferred, requestedEvents } from "./run-events";
export type { RunRequested } from "./run-events";
