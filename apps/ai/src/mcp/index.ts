export { MCP_BODY_LIMIT_BYTES, registerMcp } from "./register-mcp";
export type { McpDeps } from "./register-mcp";
export type { AgentLedger } from "./agent-ledger";
export { setUpMcp } from "./set-up-mcp";
export type { McpSetup } from "./set-up-mcp";
