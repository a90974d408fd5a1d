export { agentLabel, createWebCollabTokens } from "./collab-tokens";
export type { CollabTokenSource, WebCollabTokensOptions } from "./collab-tokens";
export { createSocketLiveEditor } from "./socket-live-editor";
export type { SocketLiveEditor, SocketLiveEditorOptions } from "./socket-live-editor";
