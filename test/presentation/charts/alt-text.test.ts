import { describe, expect, it } from "vitest";
import { limitAltText, listText, seriesText } from "../../../src/presentation/charts/alt-text.ts";

describe("limitAltText", () => {
  it("keeps short text and never splits a surrogate pair", () => {
    expect(limitAltText("short")).toBe("short");
    const cut = limitAltText(`${"a".repeat(8)}😀😀`, 10);
    expect(cut).toBe(`${"a".repeat(8)}…`);
    expect(cut.length).toBeLessThanOrEqual(10);
  });
});

describe("listText and seriesText", () => {
  it("join items as a sentence does", () => {
    expect(listText([])).toBe("");
    expect(listText(["W40"])).toBe("W40");
    expect(listText(["W40", "W41", "W47"])).toBe("W40, W41 and W47");
    expect(seriesText([1, null, 3], (v) => `$${v}`)).toBe("$1, no data, $3");
  });
});
