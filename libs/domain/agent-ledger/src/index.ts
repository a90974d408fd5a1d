export { createAgentLedgerService } from "./agent-ledger.service";
export type { AgentExecutionEntry, AgentLedgerService } from "./agent-ledger.service";
export { isSecretKey, redactSecrets } from "./ledger-bounds";
