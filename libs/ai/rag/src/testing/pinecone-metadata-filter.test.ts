import { describe, expect, it } from "vitest";
import { InvalidFilterError, isValidMetadata, matchesFilter } from "./pinecone-metadata-filter";

const record = { organizationId: "o1", projectId: "p1", sourceVersion: 3, tags: ["a", "b"], draft: false };

describe("Pinecone metadata filter (fake)", () => {
  it("evaluates $eq, $ne and the bare-value shorthand", () => {
    expect(matchesFilter(record, { projectId: { $eq: "p1" } })).toBe(true);
    expect(matchesFilter(record, { projectId: "p1" })).toBe(true);
    expect(matchesFilter(record, { projectId: { $eq: "p2" } })).toBe(false);
    expect(matchesFilter(record, { projectId: { $ne: "p2" } })).toBe(true);
    expect(matchesFilter(record, { draft: false })).toBe(true);
  });

  it("evaluates $in and $nin, and a missing field fails $in but passes $nin", () => {
    expect(matchesFilter(record, { projectId: { $in: ["p0", "p1"] } })).toBe(true);
    expect(matchesFilter(record, { projectId: { $in: ["p0"] } })).toBe(false);
    expect(matchesFilter(record, { projectId: { $nin: ["p1"] } })).toBe(false);
    expect(matchesFilter(record, { missing: { $in: ["x"] } })).toBe(false);
    expect(matchesFilter(record, { missing: { $nin: ["x"] } })).toBe(true);
    expect(matchesFilter(record, { missing: { $eq: "x" } })).toBe(false);
  });

  it("matches a list field when any element matches, and $nin only when none does", () => {
    expect(matchesFilter(record, { tags: "a" })).toBe(true);
    expect(matchesFilter(record, { tags: { $in: ["b", "z"] } })).toBe(true);
    expect(matchesFilter(record, { tags: { $nin: ["b"] } })).toBe(false);
    expect(matchesFilter(record, { tags: { $ne: "z" } })).toBe(true);
  });

  it("ANDs top-level fields and $and clauses, ORs $or clauses", () => {
    expect(matchesFilter(record, { organizationId: "o1", projectId: "p2" })).toBe(false);
    expect(matchesFilter(record, { $and: [{ organizationId: { $eq: "o1" } }, { projectId: { $in: ["p1"] } }] })).toBe(
      true,
    );
    expect(matchesFilter(record, { $and: [{ organizationId: { $eq: "o1" } }, { projectId: { $in: ["p9"] } }] })).toBe(
      false,
    );
    expect(matchesFilter(record, { $or: [{ projectId: "p9" }, { sourceVersion: { $gte: 3 } }] })).toBe(true);
  });

  it("compares numbers and checks existence", () => {
    expect(matchesFilter(record, { sourceVersion: { $gt: 2, $lte: 3 } })).toBe(true);
    expect(matchesFilter(record, { sourceVersion: { $lt: 3 } })).toBe(false);
    expect(matchesFilter(record, { projectId: { $exists: true }, missing: { $exists: false } })).toBe(true);
  });

  it("rejects operators and operands Pinecone rejects", () => {
    expect(() => matchesFilter(record, { projectId: { $regex: "p" } })).toThrow(InvalidFilterError);
    expect(() => matchesFilter(record, { $not: { projectId: "p1" } })).toThrow(InvalidFilterError);
    expect(() => matchesFilter(record, { projectId: { $in: "p1" } })).toThrow(InvalidFilterError);
    expect(() => matchesFilter(record, { $and: [] })).toThrow(InvalidFilterError);
    expect(() => matchesFilter(record, { projectId: { $eq: null } })).toThrow(InvalidFilterError);
    expect(() =>
      matchesFilter(record, { projectId: { $in: Array.from({ length: 10_001 }, (_, i) => `p${i}`) } }),
    ).toThrow(/at most 10000/);
  });

  it("accepts only flat metadata of the documented types", () => {
    expect(isValidMetadata(record)).toBe(true);
    expect(isValidMetadata({ projectId: null })).toBe(false);
    expect(isValidMetadata({ nested: { a: 1 } })).toBe(false);
    expect(isValidMetadata({ numbers: [1, 2] })).toBe(false);
  });
});
