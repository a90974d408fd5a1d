export { registerAssistantCors } from "./cors";
export type { AssistantCorsOptions } from "./cors";
export { registerAssistant } from "./register-assistant";
export type { AssistantRouteDeps } from "./register-assistant";
