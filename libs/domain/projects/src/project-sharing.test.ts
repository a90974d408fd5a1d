import { describe, expect, it } from "vitest";
import { selectNewlySharedUserIds, type ProjectAudience } from "./project-sharing";

const SHARER = "sharer";
const audience = (overrides: Partial<ProjectAudience> = {}): ProjectAudience => ({
  visibility: "private",
  userIds: [],
  groupMemberIds: [],
  ...overrides,
});

describe("selectNewlySharedUserIds", () => {
  it("names the people added to a private project's list, directly and through groups, direct ones first", () => {
    const before = audience({ userIds: [SHARER] });
    const after = audience({ userIds: [SHARER, "bo"], groupMemberIds: ["cy", "dee"] });
    expect(selectNewlySharedUserIds(before, after, SHARER)).toEqual(["bo", "cy", "dee"]);
  });

  it("leaves out whoever could see it before, whether they were listed directly or through a group", () => {
    const before = audience({ userIds: ["bo"], groupMemberIds: ["cy"] });
    // Bo moves into a group, Cy is now listed directly: neither is new. Eve is.
    const after = audience({ userIds: ["cy"], groupMemberIds: ["bo", "eve"] });
    expect(selectNewlySharedUserIds(before, after, SHARER)).toEqual(["eve"]);
  });

  it("names each person once, however many of the added groups they are in", () => {
    const after = audience({ userIds: ["bo"], groupMemberIds: ["cy", "bo", "cy"] });
    expect(selectNewlySharedUserIds(audience(), after, SHARER)).toEqual(["bo", "cy"]);
  });

  it("never names the person who shared it, even when they are in an added group", () => {
    const after = audience({ userIds: [SHARER, "bo"], groupMemberIds: [SHARER] });
    expect(selectNewlySharedUserIds(audience(), after, SHARER)).toEqual(["bo"]);
  });

  it("names everyone listed on a private project being created", () => {
    const after = audience({ userIds: [SHARER, "bo"], groupMemberIds: ["cy"] });
    expect(selectNewlySharedUserIds(null, after, SHARER)).toEqual(["bo", "cy"]);
  });

  it("names nobody when the project was open before, or is open after", () => {
    const listed = audience({ userIds: ["bo"], groupMemberIds: ["cy"] });
    expect(selectNewlySharedUserIds(audience({ visibility: "organization" }), listed, SHARER)).toEqual([]);
    expect(selectNewlySharedUserIds(audience(), { ...listed, visibility: "organization" }, SHARER)).toEqual([]);
    expect(selectNewlySharedUserIds(null, { ...listed, visibility: "organization" }, SHARER)).toEqual([]);
  });

  it("names nobody when people are only taken off the list", () => {
    const before = audience({ userIds: ["bo", "cy"], groupMemberIds: ["dee"] });
    expect(selectNewlySharedUserIds(before, audience({ userIds: ["bo"] }), SHARER)).toEqual([]);
  });
});
