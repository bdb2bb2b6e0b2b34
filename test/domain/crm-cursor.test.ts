import { describe, expect, it } from "vitest";
import { CURSOR_OVERLAP_MS, changedSince, storedCursor } from "../../src/domain/crm-cursor.ts";

const at = (iso: string) => new Date(iso);

describe("where a CRM object's sync starts", () => {
  const sync = {
    cursors: { contacts: { modifiedSince: "2026-12-01T10:00:00.000Z" } },
    backfillFrom: at("2026-09-01T00:00:00.000Z"),
  };

  it("is its cursor when it has one", () => {
    expect(changedSince(sync, "contacts")).toEqual(at("2026-12-01T10:00:00.000Z"));
  });

  it("is the backfill's start for an object without a cursor", () => {
    expect(changedSince(sync, "deals")).toEqual(at("2026-09-01T00:00:00.000Z"));
  });
});

describe("the cursor stored after a page", () => {
  const startedAt = at("2026-12-07T12:00:00.000Z");

  it("is the page's newest change when that is older than the overlap before the sync began", () => {
    expect(storedCursor(at("2026-12-07T11:00:00.000Z"), startedAt)).toEqual(
      at("2026-12-07T11:00:00.000Z"),
    );
  });

  it("stays the overlap behind the sync's start, so changes indexed late are read again", () => {
    expect(CURSOR_OVERLAP_MS).toBe(5 * 60_000);
    expect(storedCursor(at("2026-12-07T11:59:00.000Z"), startedAt)).toEqual(
      at("2026-12-07T11:55:00.000Z"),
    );
  });
});
