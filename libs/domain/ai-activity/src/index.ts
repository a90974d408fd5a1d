export { createAiActivityService, invalidEntry } from "./ai-activity.service";
export type { AiActivityEntry, AiActivityService } from "./ai-activity.service";
export { assertProjectFilter, assertReadsActivity, readerScope, scopeWhere } from "./activity-reader";
export type { ActivityReaderScope } from "./activity-reader";
