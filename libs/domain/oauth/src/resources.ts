export { canonicalResourceUri as canonicalResource } from "@devflow/contracts";
