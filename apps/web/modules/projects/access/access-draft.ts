import {
  PROJECT_ACCESS_GROUPS_MAX,
  PROJECT_ACCESS_USERS_MAX,
  type ProjectAccessDto,
  type ProjectVisibility,
  type SetProjectAccessInput,
} from "@devflow/contracts";

export interface DraftPerson {
  userId: string;
  name: string;
  email: string;
}

export interface DraftGroup {
  groupId: string;
  name: string;
  memberCount: number;
}

/** What the share dialog edits before Save: the whole list, replaced at once on the server. */
export interface AccessDraft {
  visibility: ProjectVisibility;
  people: DraftPerson[];
  groups: DraftGroup[];
}

export function draftFrom(access: ProjectAccessDto): AccessDraft {
  return {
    visibility: access.visibility,
    people: access.members.map(({ userId, name, email }) => ({ userId, name, email })),
    groups: access.groups.map(({ groupId, name, memberCount }) => ({ groupId, name, memberCount })),
  };
}

export function addPerson(draft: AccessDraft, person: DraftPerson): AccessDraft {
  if (draft.people.some((p) => p.userId === person.userId)) return draft;
  return { ...draft, people: [...draft.people, person] };
}

export function removePerson(draft: AccessDraft, userId: string): AccessDraft {
  return { ...draft, people: draft.people.filter((p) => p.userId !== userId) };
}

export function addGroup(draft: AccessDraft, group: DraftGroup): AccessDraft {
  if (draft.groups.some((g) => g.groupId === group.groupId)) return draft;
  return { ...draft, groups: [...draft.groups, group] };
}

export function removeGroup(draft: AccessDraft, groupId: string): AccessDraft {
  return { ...draft, groups: draft.groups.filter((g) => g.groupId !== groupId) };
}

export function toInput(draft: AccessDraft): SetProjectAccessInput {
  return {
    visibility: draft.visibility,
    userIds: draft.people.map((p) => p.userId),
    groupIds: draft.groups.map((g) => g.groupId),
  };
}

/** Why Save is not possible yet, or null. Mirrors the server's limits so the form says it first. */
export function draftProblem(draft: AccessDraft): string | null {
  if (draft.people.length > PROJECT_ACCESS_USERS_MAX) {
    return `A project can list at most ${PROJECT_ACCESS_USERS_MAX} people; use a group instead`;
  }
  if (draft.groups.length > PROJECT_ACCESS_GROUPS_MAX)
    return `A project can list at most ${PROJECT_ACCESS_GROUPS_MAX} groups`;
  return null;
}

/** Candidates whose name or email contains every word of `search`, leaving out those already chosen. */
export function matchPeople<T extends DraftPerson>(
  candidates: readonly T[],
  chosen: readonly DraftPerson[],
  search: string,
): T[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const taken = new Set(chosen.map((p) => p.userId));
  return candidates.filter((c) => {
    if (taken.has(c.userId)) return false;
    const haystack = `${c.name} ${c.email}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
