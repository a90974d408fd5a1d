import type { AgentLedgerService } from "@devflow/domain-agent-ledger";

/** Where every MCP tool call is recorded (`createAgentLedgerService(db)` in production). */
export type AgentLedger = Pick<AgentLedgerService, "record">;
