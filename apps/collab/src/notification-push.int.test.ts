import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type ServiceTokenSigner,
} from "@devflow/auth";
import { NOTIFICATION_EVENTS, NotificationNewSchema, type MemberRole, type NotificationNew } from "@devflow/contracts";
import { testDatabaseTarget } from "@devflow/db/testing";
import { signalNotification } from "@devflow/domain-notifications";
import { createLogger } from "@devflow/observability";
import type { AppServer } from "@devflow/observability/service";
import { CollabConfigSchema, loadConfig } from "@devflow/util-config";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteNotificationFeed, pgNotificationFeed } from "./notification-push";
import { createCollabServer } from "./server";
import { useCollabWorkspace } from "./testing/collab-workspace";
import { openSocket } from "./testing/test-editor";

// A notification stored in one process (the worker) reaches its recipient's open sockets on collab
// at once: pg_notify in the storing transaction, LISTEN here, read under the organization.

const w = useCollabWorkspace();
let signer: ServiceTokenSigner;
let server: AppServer;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  signer = await createServiceTokenSigner({
    privateKeyPem: (await generateServiceTokenKeyPair()).privateKeyPem,
    issuer: SERVICE_TOKEN_ISSUER,
  });
  const logger = createLogger({ service: "collab", level: "silent" });
  server = createCollabServer({
    config: { ...loadConfig("collab", CollabConfigSchema, { HOST: "127.0.0.1" }), port: 0 },
    db: w.t.db,
    logger,
    serviceTokens: createServiceTokenVerifier({ jwks: signer.publicJwks(), issuer: SERVICE_TOKEN_ISSUER }),
    notificationFeed: w.t.pglite
      ? pgliteNotificationFeed(w.t.pglite)
      : pgNotificationFeed(w.t.appUrl!, { logger, retryMs: 50 }),
  });
  url = await server.listen();
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.close();
});

/** A socket for the user in the organization, with every `notification:new` it receives. */
async function connect(userId: string, organizationId: string, role: MemberRole) {
  const { token } = await signer.sign({ userId, organizationId, role }, { audience: "devflow-collab" });
  const socket = await openSocket(url, token);
  sockets.push(socket);
  const received: NotificationNew[] = [];
  socket.on(NOTIFICATION_EVENTS.new, (payload: unknown) => received.push(NotificationNewSchema.parse(payload)));
  return { socket, received };
}

/** Stores a notification for the user as the handlers do: the row and its signal in one transaction. */
async function notify(userId: string, title: string, options: { rollBack?: boolean } = {}) {
  const organizationId = w.acme.organization.id;
  const store = w.t.db.withTenant({ organizationId }, async (tx) => {
    const row = await tx.notification.create({
      data: { organizationId, userId, type: "comment.mentioned", title, link: "/acme/documents/x" },
    });
    await signalNotification(tx, { organizationId, userId, notificationId: row.id });
    if (options.rollBack) throw new Error("the change failed");
    return row.id;
  });
  if (options.rollBack) {
    await expect(store).rejects.toThrow("the change failed");
    return null;
  }
  return store;
}

describe("notification:new", () => {
  it("reaches every socket of the recipient in that organization at once, and nobody else", async () => {
    const mia = await connect(w.member.userId, w.acme.organization.id, "member");
    const miaAgain = await connect(w.member.userId, w.acme.organization.id, "member");
    const vic = await connect(w.viewer.userId, w.acme.organization.id, "viewer");
    // Mia's socket for another organization is hers, but Acme's notifications do not belong there.
    const miaElsewhere = await connect(w.member.userId, w.globex.organization.id, "member");

    const id = await notify(w.member.userId, "Ada mentioned you in “Retries”");
    for (const socket of [mia, miaAgain]) {
      await expect.poll(() => socket.received.map((m) => m.notification.id)).toEqual([id]);
    }
    expect(mia.received[0]).toMatchObject({
      v: 1,
      organizationId: w.acme.organization.id,
      notification: { id, title: "Ada mentioned you in “Retries”", readAt: null, type: "comment.mentioned" },
      unreadCount: 1,
    });

    // Vic's own notification arrives; Mia's never did, on Vic's socket or on her Globex one.
    const vicId = await notify(w.viewer.userId, "For Vic");
    await expect.poll(() => vic.received.map((m) => m.notification.id)).toEqual([vicId]);
    expect(miaElsewhere.received).toEqual([]);
    expect(mia.received).toHaveLength(1);
  });

  it("says nothing of a notification whose transaction rolled back", async () => {
    const mia = await connect(w.member.userId, w.acme.organization.id, "member");
    await notify(w.member.userId, "Never stored", { rollBack: true });
    const id = await notify(w.member.userId, "Stored");
    await expect.poll(() => mia.received.map((m) => m.notification.id)).toEqual([id]);
    expect(mia.received.map((m) => m.notification.title)).toEqual(["Stored"]);
  });

  it.skipIf(testDatabaseTarget() === "embedded")("listens again after losing its database connection", async () => {
    const mia = await connect(w.member.userId, w.acme.organization.id, "member");
    const listeners = () =>
      w.t.owner.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'devflow-collab-notifications'`,
      );
    const [before] = await listeners();
    await w.t.owner.query("SELECT pg_terminate_backend($1)", [before!.pid]);
    await expect.poll(async () => (await listeners()).map((r) => r.pid)).not.toEqual([before!.pid]);
    await expect.poll(async () => (await listeners()).length).toBe(1);
    const id = await notify(w.member.userId, "After the reconnect");
    await expect.poll(() => mia.received.map((m) => m.notification.id)).toContain(id);
  });
});
