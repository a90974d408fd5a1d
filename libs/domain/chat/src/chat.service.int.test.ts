import type { RequestContext } from "@devflow/auth";
import { CHAT_MESSAGE_MAX, SendMessageInputSchema, type CitationDto } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createMembersService } from "@devflow/domain-organizations";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatService, DEFAULT_CONVERSATION_TITLE } from "./chat.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let mia: RequestContext;
let vic: RequestContext;
let chat: ReturnType<typeof createChatService>;

beforeAll(async () => {
  t = await createTestDatabase();
  chat = createChatService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  mia = await acme.addMember("member", "Mia");
  vic = await acme.addMember("viewer", "Vic");
});
afterAll(async () => {
  await t?.drop();
});

const citation: CitationDto = {
  ref: 1,
  documentId: "6f1b7a52-37f2-4d51-9a4c-7a0d9b2d8c11",
  title: "Cache",
  version: 3,
  start: 10,
  end: 25,
  quote: "one hour expiry",
};

describe("conversations", () => {
  it("stores a question and an answer with its citations, tools and model, and names the conversation", async () => {
    const created = await chat.create(mia, {});
    expect(created.title).toBe(DEFAULT_CONVERSATION_TITLE);
    const asked = await chat.addMessage(mia, created.id, { role: "user", content: "How long do cache entries live?" });
    expect(asked.conversation.title).toBe("How long do cache entries live?");
    await chat.addMessage(mia, created.id, {
      role: "assistant",
      content: "One hour [1].",
      citations: [citation],
      tools: [{ callId: "c1", name: "search_docs", status: "ok", summary: "3 passages" }],
      model: "extractive",
    });
    const detail = await chat.get(mia, created.id);
    expect(detail.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "How long do cache entries live?"],
      ["assistant", "One hour [1]."],
    ]);
    expect(detail.messages[1]).toMatchObject({ citations: [citation], model: "extractive" });
    expect(detail.messages[1]!.tools).toEqual([
      { callId: "c1", name: "search_docs", status: "ok", summary: "3 passages" },
    ]);
    // A later question does not rename it.
    const again = await chat.addMessage(mia, created.id, { role: "user", content: "And writes?" });
    expect(again.conversation.title).toBe("How long do cache entries live?");
  });

  it("lists the person's conversations newest activity first, a page at a time", async () => {
    const person = await acme.addMember("member", "Pat");
    const ids: string[] = [];
    for (const title of ["one", "two", "three"]) ids.push((await chat.create(person, { title })).id);
    await chat.addMessage(person, ids[0]!, { role: "user", content: "bump" });
    const first = await chat.list(person, { limit: 2 });
    expect(first.items.map((c) => c.title)).toEqual(["one", "three"]);
    expect(first.nextCursor).not.toBeNull();
    const second = await chat.list(person, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((c) => c.title)).toEqual(["two"]);
    expect(second.nextCursor).toBeNull();
    await expect(chat.list(person, { limit: 2, cursor: "forged" })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("renames and deletes a conversation with its messages", async () => {
    const { id } = await chat.create(mia, { title: "Draft" });
    await chat.addMessage(mia, id, { role: "user", content: "hi" });
    expect((await chat.rename(mia, id, { title: "Renamed" })).title).toBe("Renamed");
    await chat.remove(mia, id);
    await expect(chat.get(mia, id)).rejects.toMatchObject({ code: "not_found" });
    const left = await t.db.withTenant(acme.ctx, (tx) => tx.chatMessage.count({ where: { sessionId: id } }));
    expect(left).toBe(0);
  });

  it("refuses messages over the size limit, at the edge and in the service", async () => {
    const { id } = await chat.create(mia, {});
    expect(SendMessageInputSchema.safeParse({ content: "x".repeat(CHAT_MESSAGE_MAX + 1) }).success).toBe(false);
    await expect(
      chat.addMessage(mia, id, { role: "user", content: "x".repeat(CHAT_MESSAGE_MAX + 1) }),
    ).rejects.toMatchObject({ code: "payload_too_large" });
    expect((await chat.get(mia, id)).messages).toEqual([]);
  });
});

describe("who sees what", () => {
  it("hides a conversation from another person in the same organization, admins included", async () => {
    const { id } = await chat.create(mia, { title: "Mine" });
    await chat.addMessage(mia, id, { role: "user", content: "private question" });
    for (const other of [vic, acme.ctx]) {
      await expect(chat.get(other, id)).rejects.toMatchObject({ code: "not_found" });
      await expect(chat.rename(other, id, { title: "Hijacked" })).rejects.toMatchObject({ code: "not_found" });
      await expect(chat.addMessage(other, id, { role: "user", content: "x" })).rejects.toMatchObject({
        code: "not_found",
      });
      await expect(chat.remove(other, id)).rejects.toMatchObject({ code: "not_found" });
      expect((await chat.list(other, { limit: 100 })).items.map((c) => c.id)).not.toContain(id);
    }
    expect((await chat.get(mia, id)).title).toBe("Mine");
  });

  it("does not return rows from another tenant", async () => {
    const { id } = await chat.create(mia, { title: "Acme only" });
    // Globex's owner, and Mia's own user id presented under Globex: neither reaches Acme's rows.
    const miaInGlobex = { ...globex.ctx, actor: { ...mia.actor } };
    for (const other of [globex.ctx, miaInGlobex]) {
      await expect(chat.get(other, id)).rejects.toMatchObject({ code: "not_found" });
      await expect(chat.rename(other, id, { title: "x" })).rejects.toMatchObject({ code: "not_found" });
      await expect(chat.remove(other, id)).rejects.toMatchObject({ code: "not_found" });
    }
    await expect(chat.list(miaInGlobex, { limit: 100 })).rejects.toMatchObject({ code: "forbidden" });
    const globexOwn = await chat.list(globex.ctx, { limit: 100 });
    expect(globexOwn.items.map((c) => c.id)).not.toContain(id);
    const seen = await t.db.withTenant(globex.ctx, (tx) => tx.chatSession.count({ where: { id } }));
    expect(seen).toBe(0);
    expect((await chat.get(mia, id)).title).toBe("Acme only");
  });

  it("treats a removed member as a stranger even with a context that still names their role", async () => {
    const leaver = await acme.addMember("member", "Lee");
    const { id } = await chat.create(leaver, {});
    await createMembersService(t.db).removeMember(acme.ctx, leaver.actor.userId);
    await expect(chat.get(leaver, id)).rejects.toMatchObject({ code: "not_found" });
    await expect(chat.list(leaver, { limit: 10 })).rejects.toMatchObject({ code: "forbidden" });
    await expect(chat.create(leaver, {})).rejects.toMatchObject({ code: "forbidden" });
  });
});
