import { NOTIFICATION_TYPES } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { channelsFor, channelsOf, isDelivered, storedNamesOf, withDefaults } from "./preferences";

describe("notification preferences", () => {
  it("fills every type with the defaults: bell and email on, Slack off", () => {
    const items = withDefaults([]);
    expect(items.map((i) => i.type)).toEqual([...NOTIFICATION_TYPES]);
    for (const item of items) expect(item).toMatchObject({ inApp: true, email: true, slack: false });
  });

  it("keeps what was stored, in catalog order, and drops types the catalog no longer has", () => {
    const items = withDefaults([
      { eventType: "comment.replied", inApp: false, email: false, slack: true },
      { eventType: "comment.retired", inApp: false, email: false, slack: false },
    ]);
    expect(items).toHaveLength(NOTIFICATION_TYPES.length);
    expect(items.find((i) => i.type === "comment.replied")).toEqual({
      type: "comment.replied",
      inApp: false,
      email: false,
      slack: true,
    });
    expect(items.find((i) => i.type === "comment.mentioned")).toMatchObject({ inApp: true, email: true });
  });

  it("delivers a type through any one of the bell, email and Slack, and not with all three off", () => {
    expect(isDelivered(channelsOf(undefined))).toBe(true);
    expect(isDelivered({ inApp: false, email: false, slack: true })).toBe(true);
    expect(isDelivered({ inApp: false, email: true, slack: false })).toBe(true);
    expect(isDelivered({ inApp: false, email: false, slack: false })).toBe(false);
  });

  it("applies a choice saved as document.shared to project.shared, until one is saved under the new name", () => {
    const old = { eventType: "document.shared", inApp: false, email: false, slack: false };
    expect(channelsFor([old], "project.shared")).toEqual({ inApp: false, email: false, slack: false });
    expect(withDefaults([old]).find((i) => i.type === "project.shared")).toMatchObject({ inApp: false, email: false });
    const renamed = { eventType: "project.shared", inApp: true, email: false, slack: false };
    expect(channelsFor([old, renamed], "project.shared")).toEqual({ inApp: true, email: false, slack: false });
    expect(channelsFor([renamed, old], "project.shared")).toEqual({ inApp: true, email: false, slack: false });
    expect(storedNamesOf(["project.shared", "job.failed"])).toEqual([
      "project.shared",
      "document.shared",
      "job.failed",
    ]);
  });
});
