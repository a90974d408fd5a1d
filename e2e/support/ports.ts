/** Ports apart from the development defaults, so tests can run while `npm run dev` is up. */
export const E2E_PORTS = { web: 3100, collab: 3101, ai: 3102, worker: 3103 } as const;
/** What the stack runs beside the apps for the tests (support/test-services.ts). */
export const TEST_SERVICE_PORTS = { smtp: 3105, control: 3106 } as const;
export const E2E_DATABASE = "devflow_e2e";
export const WEB_URL = `http://localhost:${E2E_PORTS.web}`;
/** The stack's helper endpoints for tests: the mailbox and DNS answers (support/test-services.ts). */
export const TEST_CONTROL_URL = `http://localhost:${TEST_SERVICE_PORTS.control}`;
