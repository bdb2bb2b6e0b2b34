import { describe, expect, it } from "vitest";
import {
  DEFAULT_REASONS,
  groupReasonsByOwner,
  REASON_OWNER_LABELS,
  REASON_OWNERS,
  reasonSchema,
} from "../../src/domain/taxonomy.ts";

describe("default reason taxonomy", () => {
  it("has the 14 reasons of the design, with unique keys", () => {
    const keys = DEFAULT_REASONS.map((r) => r.key);
    expect(keys).toEqual([
      "company_too_small",
      "company_too_large",
      "wrong_industry",
      "wrong_role",
      "outside_regions",
      "student_or_personal",
      "competitor_or_vendor",
      "spam_or_fake",
      "duplicate",
      "invalid_contact",
      "no_need",
      "no_budget",
      "no_response",
      "already_customer",
    ]);
    expect(new Set(keys).size).toBe(14);
  });

  it("has no reason about timing: that is the verdict not_yet", () => {
    for (const reason of DEFAULT_REASONS) {
      expect(`${reason.key} ${reason.label}`).not.toMatch(/timing|not yet|later|not now|time/i);
    }
  });

  it("gives every reason an owner and valid fields", () => {
    for (const reason of DEFAULT_REASONS) {
      expect(REASON_OWNERS).toContain(reason.owner);
      expect(reasonSchema.safeParse(reason).success).toBe(true);
    }
  });
});

describe("groupReasonsByOwner", () => {
  it("groups by who can act, in a fixed order", () => {
    const groups = groupReasonsByOwner(DEFAULT_REASONS);
    expect(groups.map((g) => [g.owner, g.reasons.length])).toEqual([
      ["marketing", 8],
      ["data", 2],
      ["need", 2],
      ["sales_process", 2],
    ]);
    expect(groups[0]?.label).toBe("Marketing can fix (targeting)");
    expect(groups[3]?.reasons.map((r) => r.key)).toEqual(["no_response", "already_customer"]);
  });

  it("leaves out owners without reasons", () => {
    const groups = groupReasonsByOwner([
      { key: "no_budget", label: "No budget", owner: "need" },
      { key: "duplicate", label: "Duplicate", owner: "data" },
    ]);
    expect(groups.map((g) => g.owner)).toEqual(["data", "need"]);
  });

  it("labels every owner", () => {
    expect(REASON_OWNER_LABELS.sales_process).toBe("Sales process");
    expect(REASON_OWNERS.every((o) => REASON_OWNER_LABELS[o].length > 0)).toBe(true);
  });
});

describe("reasonSchema", () => {
  it("refuses bad keys and empty labels", () => {
    expect(reasonSchema.safeParse({ key: "No Budget", label: "x", owner: "need" }).success).toBe(
      false,
    );
    expect(reasonSchema.safeParse({ key: "no_budget", label: " ", owner: "need" }).success).toBe(
      false,
    );
    expect(reasonSchema.safeParse({ key: "no_budget", label: "x", owner: "timing" }).success).toBe(
      false,
    );
  });
});
