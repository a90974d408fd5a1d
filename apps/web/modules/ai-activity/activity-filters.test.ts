import { describe, expect, it } from "vitest";
import {
  addDays,
  callArgs,
  defaultRange,
  filtersToSearch,
  hasFilters,
  ledgerArgs,
  readFilters,
} from "./activity-filters";
import { niceTicks, labelEvery } from "./chart-scale";
import { formatCost, formatDuration } from "./activity-format";

const today = "2026-11-23";
const read = (query: string) => readFilters(new URLSearchParams(query), today);

describe("activity filters in the URL", () => {
  it("defaults to the calls tab over the last 30 days, today included", () => {
    expect(defaultRange(today)).toEqual({ from: "2026-10-25", to: "2026-11-23" });
    expect(read("")).toMatchObject({ tab: "calls", from: "2026-10-25", to: "2026-11-23", projectId: "", surface: "" });
  });

  it("round-trips filters through the query string, leaving the defaults out", () => {
    const query =
      "tab=ledger&projectId=5b0c6a0e-0000-4000-8000-000000000001&from=2026-11-01&to=2026-11-07&agent=Claude&outcome=failed";
    const filters = read(query);
    expect(new URLSearchParams(filtersToSearch(filters, today))).toEqual(new URLSearchParams(query));
    expect(filtersToSearch(read(""), today)).toBe("");
  });

  it("ignores malformed values and mends backwards or overlong ranges", () => {
    expect(read("tab=nope&projectId=x&surface=radio&status=ok&from=2026-13-01")).toMatchObject({
      tab: "calls",
      projectId: "",
      surface: "",
      status: "ok",
      from: "2026-10-25",
    });
    expect(read("from=2026-11-10&to=2026-11-01")).toMatchObject({ from: "2026-11-01", to: "2026-11-10" });
    expect(read("from=2020-01-01&to=2026-11-23").from).toBe(addDays("2026-11-23", -365));
  });

  it("sends the API an exclusive end day and only the tab's own filters", () => {
    const filters = read("from=2026-11-01&to=2026-11-07&surface=mcp&agent=Claude");
    expect(callArgs(filters)).toMatchObject({ from: "2026-11-01", to: "2026-11-08", surface: "mcp" });
    expect(callArgs(filters)).not.toHaveProperty("agent");
    expect(ledgerArgs(filters)).toMatchObject({ agent: "Claude", to: "2026-11-08" });
    expect(hasFilters(filters, "calls")).toBe(true);
    expect(hasFilters(read("agent=Claude"), "calls")).toBe(false);
  });
});

describe("chart scale", () => {
  it("picks round steps that cover the largest value", () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
  });

  it("labels at most eight days", () => {
    expect(labelEvery(7)).toBe(1);
    expect(labelEvery(30)).toBe(4);
  });
});

describe("formatting", () => {
  it("keeps small costs readable", () => {
    expect(formatCost(0)).toBe("$0.00");
    expect(formatCost(0.000123)).toBe("$0.000123");
    expect(formatCost(0.0421)).toBe("$0.042");
    expect(formatCost(12.345)).toBe("$12.35");
  });

  it("writes durations in the unit that reads best", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(1250)).toBe("1.3 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(null)).toBe("—");
  });
});
