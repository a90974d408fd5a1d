export { describeServiceTokenAuth } from "./describe-service-token-auth";
