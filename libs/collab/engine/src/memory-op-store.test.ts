import { randomUUID } from "node:crypto";
import { createMemoryOpStore } from "./memory-op-store";
import { describeOpStoreContract } from "./testing";

describeOpStoreContract("memory", async () => {
  const store = createMemoryOpStore();
  const organizationId = randomUUID();
  return {
    store,
    otherOrganizationId: randomUUID(),
    async createDocument(content) {
      const ref = { organizationId, documentId: randomUUID() };
      store.createDocument(ref, content);
      return ref;
    },
  };
});
