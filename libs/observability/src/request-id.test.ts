import { describe, expect, it } from "vitest";
import { requestIdFrom } from "./request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("requestIdFrom", () => {
  it("keeps the caller's x-request-id so one id follows the request across services", () => {
    expect(requestIdFrom({ "x-request-id": "lb-7f3a:0042" })).toBe("lb-7f3a:0042");
    expect(requestIdFrom({ "x-request-id": ["first-id", "second-id"] })).toBe("first-id");
  });

  it("makes a UUID when there is no id", () => {
    expect(requestIdFrom({})).toMatch(UUID);
  });

  it("refuses ids that could forge log lines or bloat them", () => {
    expect(requestIdFrom({ "x-request-id": 'x"\n{"level":"fatal"}' })).toMatch(UUID);
    expect(requestIdFrom({ "x-request-id": "a".repeat(129) })).toMatch(UUID);
    expect(requestIdFrom({ "x-request-id": "" })).toMatch(UUID);
  });
});
