export { classifyAiAssistance } from "./ai-assistance";
export type { AiAssistance } from "./ai-assistance";
export { computeDoraMetrics } from "./dora-metrics";
export type { DoraReport } from "./dora-metrics";
export type {
  DoraDeployment,
  DoraHistory,
  DoraIncident,
  DoraPullRequest,
  DoraRepository,
  DoraWindow,
} from "./dora-history";
export { readDoraMetrics } from "./dora-metrics.service";
export { attributeIncident } from "./incident-attribution.service";
export { createDoraService } from "./dora.service";
export type { DoraService } from "./dora.service";
