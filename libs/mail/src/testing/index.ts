export { createCapturingMailer } from "./capturing-mailer";
export type { CapturingMailer } from "./capturing-mailer";
