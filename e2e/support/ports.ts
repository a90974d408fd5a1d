/** Ports apart from the development defaults, so tests can run while `npm run dev` is up. */
export const E2E_PORTS = { web: 3100, collab: 3101, ai: 3102, worker: 3103 } as const;
export const E2E_DATABASE = "devflow_e2e";
export const WEB_URL = `http://localhost:${E2E_PORTS.web}`;
