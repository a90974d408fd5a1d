import "server-only";
import type { Database } from "@devflow/db";
import { createAgentLedgerService, type AgentLedgerService } from "@devflow/domain-agent-ledger";
import { createAiActivityService, type AiActivityService } from "@devflow/domain-ai-activity";
import { database } from "@/lib/services";

export interface ActivityServices {
  aiActivity: AiActivityService;
  agentLedger: AgentLedgerService;
}

const built = new WeakMap<Database, ActivityServices>();

/**
 * The AI activity log and agent ledger over the process's Database, built once per Database like
 * lib/services.ts builds the others. (Kept beside the feature so it can be wired into `services()`
 * later without touching every route.)
 */
export async function activityServices(): Promise<ActivityServices> {
  const db = await database();
  let found = built.get(db);
  if (!found) {
    found = { aiActivity: createAiActivityService(db), agentLedger: createAgentLedgerService(db) };
    built.set(db, found);
  }
  return found;
}
