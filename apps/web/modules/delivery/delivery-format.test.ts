import { describe, expect, it } from "vitest";
import { formatFrequency, formatRate, formatSpan } from "./delivery-format";
import { readWindowDays, windowOf } from "./delivery-window";

describe("windowOf", () => {
  it("ends tomorrow (exclusive) so that today is the window's last day", () => {
    expect(windowOf(30, new Date("2026-03-15T23:59:00Z"))).toEqual({ from: "2026-02-14", to: "2026-03-16" });
    expect(windowOf(90, new Date("2026-01-01T00:00:00Z"))).toEqual({ from: "2025-10-04", to: "2026-01-02" });
  });
});

describe("readWindowDays", () => {
  it("accepts the offered windows only", () => {
    expect(readWindowDays("90")).toBe(90);
    expect(readWindowDays("180")).toBe(180);
    expect(readWindowDays("45")).toBe(30);
    expect(readWindowDays(null)).toBe(30);
  });
});

describe("formatting", () => {
  it("reads spans in minutes, hours or days", () => {
    expect(formatSpan(null)).toBe("—");
    expect(formatSpan(45 * 60_000)).toBe("45 min");
    expect(formatSpan(3.5 * 3_600_000)).toBe("3.5 h");
    expect(formatSpan(52.8 * 3_600_000)).toBe("2.2 d");
  });

  it("reads rates as percentages and frequencies with few decimals", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(4 / 7)).toBe("57%");
    expect(formatRate(0.025)).toBe("2.5%");
    expect(formatFrequency(5 / 14)).toBe("0.36");
    expect(formatFrequency(2.5)).toBe("2.5");
    expect(formatFrequency(12.4)).toBe("12");
  });
});
