export { createChatService, DEFAULT_CONVERSATION_TITLE, titleFrom } from "./chat.service";
export type { ChatService, MessageAdded, MessageDraft } from "./chat.service";
