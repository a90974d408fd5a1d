import { PROJECT_ACCESS_USERS_MAX, type ProjectAccessDto } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import {
  addGroup,
  addPerson,
  draftFrom,
  draftProblem,
  matchPeople,
  removeGroup,
  removePerson,
  toInput,
} from "./access-draft";

const ada = { userId: "00000000-0000-4000-8000-000000000001", name: "Ada Lovelace", email: "ada@example.test" };
const alan = { userId: "00000000-0000-4000-8000-000000000002", name: "Alan Turing", email: "alan@example.test" };
const design = { groupId: "00000000-0000-4000-8000-0000000000d1", name: "Design", memberCount: 4 };

const access: ProjectAccessDto = {
  projectId: "00000000-0000-4000-8000-0000000000aa",
  visibility: "private",
  members: [{ ...ada, role: "member" }],
  groups: [design],
  canManage: true,
};

describe("access draft", () => {
  it("starts from the saved access and sends back ids only", () => {
    const draft = draftFrom(access);
    expect(toInput(draft)).toEqual({ visibility: "private", userIds: [ada.userId], groupIds: [design.groupId] });
  });

  it("adds each person and group once and removes them by id", () => {
    let draft = draftFrom(access);
    draft = addPerson(addPerson(draft, alan), alan);
    draft = addGroup(draft, design);
    expect(toInput(draft).userIds).toEqual([ada.userId, alan.userId]);
    expect(toInput(draft).groupIds).toEqual([design.groupId]);
    draft = removeGroup(removePerson(draft, ada.userId), design.groupId);
    expect(toInput(draft)).toEqual({ visibility: "private", userIds: [alan.userId], groupIds: [] });
  });

  it("matches people by every word of the search, in name or email, skipping those already chosen", () => {
    expect(matchPeople([ada, alan], [], "a")).toEqual([ada, alan]);
    expect(matchPeople([ada, alan], [], "ALAN example")).toEqual([alan]);
    expect(matchPeople([ada, alan], [ada], "")).toEqual([alan]);
    expect(matchPeople([ada, alan], [], "grace")).toEqual([]);
  });

  it("says when the list is longer than the server accepts", () => {
    const many = Array.from({ length: PROJECT_ACCESS_USERS_MAX + 1 }, (_, i) => ({ ...ada, userId: `u${i}` }));
    expect(draftProblem({ visibility: "private", people: many, groups: [] })).toMatch(/at most 500 people/);
    expect(draftProblem(draftFrom(access))).toBeNull();
  });
});
