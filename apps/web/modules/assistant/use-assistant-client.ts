"use client";

import { useMemo } from "react";
import { createAssistantClient, type AssistantClient } from "./assistant-client";

/** One client per organization and ai address, so its service token is reused across renders. */
export function useAssistantClient(aiUrl: string, organizationId: string): AssistantClient {
  return useMemo(() => createAssistantClient({ aiUrl, organizationId }), [aiUrl, organizationId]);
}
