import { describe, expect, it } from "vitest";
import { cellsByColumn, compactHeader, mapHeader } from "../../src/imports/header-mapping.ts";

const rules = {
  columns: ["external_id", "email", "created_at"],
  required: ["external_id", "email"],
  extraColumns: () => [],
};

describe("mapHeader", () => {
  it("matches documented columns whatever their spelling, and keeps the others by name", () => {
    expect(mapHeader(["External ID", "E-mail", " Region "], 1, rules)).toEqual({
      names: [
        { name: "external_id", position: 0 },
        { name: "email", position: 1 },
        { name: "region", position: 2 },
      ],
    });
  });

  it("lists every problem on the header's line: unnamed, repeated and missing columns", () => {
    expect(mapHeader(["externalId", "", "external_id"], 3, rules)).toEqual({
      problems: [
        { index: 3, field: "(header)", message: "Column 2 has no name in the header" },
        { index: 3, field: "external_id", message: "The header names this column 2 times" },
        {
          index: 3,
          field: "email",
          message: "Missing required column email (the header needs external_id, email)",
        },
      ],
    });
  });

  it("asks the format about columns it does not document", () => {
    const unwelcome = {
      ...rules,
      extraColumns: (extra: readonly { name: string }[], line: number) =>
        extra.map((c) => ({ index: line, field: c.name, message: "unknown" })),
    };
    expect(mapHeader(["external_id", "email", "Colour"], 1, unwelcome)).toEqual({
      problems: [{ index: 1, field: "colour", message: "unknown" }],
    });
  });
});

describe("compactHeader", () => {
  it("ignores case, spaces, dashes and underscores", () => {
    expect(compactHeader(" Created_At ")).toBe(compactHeader("created-at"));
    expect(compactHeader("createdAt")).toBe("createdat");
  });
});

describe("cellsByColumn", () => {
  it("trims cells and reads a missing cell as empty", () => {
    const columns = {
      names: [
        { name: "email", position: 0 },
        { name: "region", position: 2 },
      ],
    };
    expect(cellsByColumn([" a@b.co ", "x"], columns)).toEqual(
      new Map([
        ["email", "a@b.co"],
        ["region", ""],
      ]),
    );
  });
});
