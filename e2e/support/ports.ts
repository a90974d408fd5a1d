/**
 * Ports apart from the development defaults, so tests can run while `npm run dev` is up.
 * E2E_PORT_BASE and E2E_DATABASE move a second stack out of the way of a first one.
 */
const base = Number(process.env.E2E_PORT_BASE ?? 3100);
export const E2E_PORTS = { web: base, collab: base + 1, ai: base + 2, worker: base + 3 } as const;
/** What the stack runs beside the apps for the tests (support/test-services.ts). */
export const TEST_SERVICE_PORTS = { smtp: base + 5, control: base + 6 } as const;
export const E2E_DATABASE = process.env.E2E_DATABASE ?? "devflow_e2e";
export const WEB_URL = `http://localhost:${E2E_PORTS.web}`;
/** The stack's helper endpoints for tests: the mailbox and DNS answers. */
export const TEST_CONTROL_URL = `http://localhost:${TEST_SERVICE_PORTS.control}`;
