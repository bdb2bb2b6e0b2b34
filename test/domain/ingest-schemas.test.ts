import { describe, expect, it } from "vitest";
import { campaignInputSchema, leadInputSchema } from "../../src/domain/ingest-schemas.ts";

const lead = { externalId: "crm-1", email: "ana@acme.example" };

describe("a lead's createdAt", () => {
  it("takes every ISO 8601 offset spelling: Z, +01:00 and +0100", () => {
    for (const [text, utc] of [
      ["2026-11-16T09:30:00Z", "2026-11-16T09:30:00.000Z"],
      ["2026-11-16T09:30:00+01:00", "2026-11-16T08:30:00.000Z"],
      ["2026-11-16T09:30:00.000+0000", "2026-11-16T09:30:00.000Z"],
      ["2026-11-16T09:30:00-0500", "2026-11-16T14:30:00.000Z"],
    ])
      expect(leadInputSchema.parse({ ...lead, createdAt: text }).createdAt).toEqual(
        new Date(utc ?? ""),
      );
  });

  it("may be left out (then the time it is first received), but not be a time without offset", () => {
    expect(leadInputSchema.parse(lead).createdAt).toBeNull();
    expect(
      leadInputSchema.safeParse({ ...lead, createdAt: "2026-11-16T09:30:00" }).error?.issues[0]
        ?.message,
    ).toMatch(/with an offset/);
  });
});

describe("a lead's fields", () => {
  it.each(["deal size", "", "crm:industry"])(
    "refuse the name %j, saying what a name may be",
    (name) => {
      expect(
        leadInputSchema.safeParse({ ...lead, fields: { [name]: 1 } }).error?.issues,
      ).toMatchObject([
        { path: ["fields", name], message: "Field names use letters, digits, _ . -" },
      ]);
    },
  );
});

describe("a campaign's dates", () => {
  it.each(["next week", "2026-11-16T00:00:00Z"])(
    "refuse %j as no date, without a word about its year",
    (startsOn) => {
      expect(
        campaignInputSchema
          .safeParse({ key: "spring", startsOn })
          .error?.issues.map((issue) => issue.message),
      ).toEqual(["A date like 2026-11-16"]);
    },
  );
});
