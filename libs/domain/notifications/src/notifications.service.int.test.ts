import type { RequestContext } from "@devflow/auth";
import { ListNotificationsQuerySchema, NOTIFICATION_TYPES, type NotificationType } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createMembersService } from "@devflow/domain-organizations";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotificationsService } from "./notifications.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let notifications: ReturnType<typeof createNotificationsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  notifications = createNotificationsService(t.db);
});
afterAll(async () => {
  await t?.drop();
});

/**
 * Stores notifications for `member` as the handlers do (one transaction of the organization), each
 * a millisecond apart so the order is known; returns their ids, oldest first.
 */
async function give(member: RequestContext, count: number, type: NotificationType = "comment.mentioned") {
  const start = Date.now() - 60_000;
  return t.db.withTenant(member, async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const row = await tx.notification.create({
        data: {
          organizationId: member.organizationId,
          userId: member.actor.userId,
          type,
          title: `Notification ${i}`,
          link: `/acme/documents/${i}`,
          createdAt: new Date(start + i),
        },
      });
      ids.push(row.id);
    }
    return ids;
  });
}

const query = (input: Record<string, string> = {}) => ListNotificationsQuerySchema.parse(input);

describe("the list", () => {
  it("pages newest first with a cursor, at most 50 a page, with the unread count of all", async () => {
    const mia = await acme.addMember("member", "Mia");
    const ids = await give(mia, 7);
    const first = await notifications.list(mia, query({ limit: "3" }));
    expect(first.items.map((n) => n.id)).toEqual(ids.slice(-3).reverse());
    expect(first.unreadCount).toBe(7);
    const second = await notifications.list(mia, query({ limit: "3", cursor: first.nextCursor! }));
    const third = await notifications.list(mia, query({ limit: "3", cursor: second.nextCursor! }));
    expect([...first.items, ...second.items, ...third.items].map((n) => n.id)).toEqual([...ids].reverse());
    expect(third.nextCursor).toBeNull();
    expect(ListNotificationsQuerySchema.safeParse({ limit: "51" }).success).toBe(false);
    await expect(notifications.list(mia, query({ cursor: "forged" }))).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("marks chosen ones, or all, read, and lists only the unread when asked", async () => {
    const mia = await acme.addMember("member", "Mia");
    const ids = await give(mia, 4);
    expect(await notifications.markRead(mia, { ids: [ids[0]!, ids[1]!] })).toEqual({ marked: 2, unreadCount: 2 });
    // Marking again changes nothing.
    expect(await notifications.markRead(mia, { ids: [ids[0]!] })).toEqual({ marked: 0, unreadCount: 2 });
    const unread = await notifications.list(mia, query({ unread: "true" }));
    expect(unread.items.map((n) => n.id)).toEqual([ids[3], ids[2]]);
    const all = await notifications.list(mia, query());
    expect(all.items.find((n) => n.id === ids[0])!.readAt).not.toBeNull();
    expect(await notifications.markRead(mia, { all: true })).toEqual({ marked: 2, unreadCount: 0 });
    expect(await notifications.unreadCount(mia)).toBe(0);
  });
});

describe("one person's notifications", () => {
  it("cannot be read or marked by anyone else, even with their ids", async () => {
    const mia = await acme.addMember("member", "Mia");
    const vic = await acme.addMember("viewer", "Vic");
    const miaIds = await give(mia, 2);
    await give(vic, 1);

    expect((await notifications.list(vic, query())).items.map((n) => n.title)).toEqual(["Notification 0"]);
    expect((await notifications.list(acme.ctx, query())).items).toEqual([]);
    expect(await notifications.markRead(vic, { ids: miaIds })).toEqual({ marked: 0, unreadCount: 1 });
    expect(await notifications.markRead(acme.ctx, { all: true })).toMatchObject({ marked: 0 });
    expect(await notifications.unreadCount(mia)).toBe(2);
  });

  it("cannot be changed with a read-only API token, but can be read with one", async () => {
    const mia = await acme.addMember("member", "Mia");
    await give(mia, 1);
    const token: RequestContext = {
      ...mia,
      actor: { ...mia.actor, via: { kind: "api_token", tokenId: "t", scopes: ["read"] } },
    };
    expect(await notifications.unreadCount(token)).toBe(1);
    await expect(notifications.markRead(token, { all: true })).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      notifications.updatePreferences(token, {
        items: [{ type: "job.failed", inApp: false, email: false, slack: false }],
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const writer: RequestContext = {
      ...mia,
      actor: { ...mia.actor, via: { kind: "api_token", tokenId: "t", scopes: ["write"] } },
    };
    expect(await notifications.markRead(writer, { all: true })).toEqual({ marked: 1, unreadCount: 0 });
  });
});

describe("preferences", () => {
  it("default to the bell and email for every type, and change only the types given", async () => {
    const mia = await acme.addMember("member", "Mia");
    const defaults = await notifications.getPreferences(mia);
    expect(defaults.items.map((p) => p.type)).toEqual([...NOTIFICATION_TYPES]);
    expect(defaults.items.every((p) => p.inApp && p.email && !p.slack)).toBe(true);

    const updated = await notifications.updatePreferences(mia, {
      items: [{ type: "comment.replied", inApp: true, email: false, slack: true }],
    });
    expect(updated.items.find((p) => p.type === "comment.replied")).toEqual({
      type: "comment.replied",
      inApp: true,
      email: false,
      slack: true,
    });
    expect(updated.items.find((p) => p.type === "comment.mentioned")).toMatchObject({ inApp: true, email: true });
    await notifications.updatePreferences(mia, {
      items: [{ type: "comment.replied", inApp: false, email: false, slack: false }],
    });
    expect((await notifications.getPreferences(mia)).items.find((p) => p.type === "comment.replied")).toMatchObject({
      inApp: false,
      email: false,
    });
    // Another member's are untouched.
    const vic = await acme.addMember("viewer", "Vic");
    expect((await notifications.getPreferences(vic)).items.every((p) => p.inApp && p.email)).toBe(true);
  });
});

describe("live delivery", () => {
  it("reads a stored notification for its recipient, and nothing once they left", async () => {
    const lee = await acme.addMember("member", "Lee");
    const [id] = await give(lee, 1);
    const signal = { organizationId: acme.organization.id, userId: lee.actor.userId, notificationId: id! };
    expect(await notifications.readForDelivery(signal)).toMatchObject({
      v: 1,
      organizationId: acme.organization.id,
      notification: { id, title: "Notification 0", readAt: null },
      unreadCount: 1,
    });
    // Someone else's id with Lee's user, or Lee's id under another organization, reads nothing.
    expect(await notifications.readForDelivery({ ...signal, userId: acme.owner.id })).toBeNull();
    expect(await notifications.readForDelivery({ ...signal, organizationId: globex.organization.id })).toBeNull();
    await createMembersService(t.db).removeMember(acme.ctx, lee.actor.userId);
    expect(await notifications.readForDelivery(signal)).toBeNull();
  });
});

describe("tenant isolation", () => {
  it("does not return rows from another tenant", async () => {
    const mia = await acme.addMember("member", "Mia");
    const ids = await give(mia, 2);
    await notifications.updatePreferences(mia, {
      items: [{ type: "comment.mentioned", inApp: false, email: false, slack: false }],
    });
    // The same person's context pointed at Globex reads, counts and marks nothing of Acme's.
    const elsewhere: RequestContext = { ...mia, organizationId: globex.organization.id };
    expect((await notifications.list(elsewhere, query())).items).toEqual([]);
    expect(await notifications.unreadCount(elsewhere)).toBe(0);
    expect(await notifications.markRead(elsewhere, { ids })).toEqual({ marked: 0, unreadCount: 0 });
    expect((await notifications.getPreferences(elsewhere)).items.every((p) => p.inApp)).toBe(true);
    expect((await notifications.list(globex.ctx, query())).items).toEqual([]);
    expect(await notifications.unreadCount(mia)).toBe(2);
  });
});
