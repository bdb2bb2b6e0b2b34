import { describe, expect, it } from "vitest";
import { clean, listText, trend } from "../../../src/presentation/slack/digest-text.ts";

describe("listText", () => {
  it("shows the lines that fit under the heading and counts the rest", () => {
    expect(listText("*Campaigns*", ["a", "b"], 2, "campaign", 100)).toBe("*Campaigns*\na\nb");
    expect(listText("*Campaigns*", ["a", "b"], 5, "campaign", 100)).toBe(
      "*Campaigns*\na\nb\nand 3 more campaigns",
    );
    // The last line would leave no room to count the rest, so it is counted instead.
    expect(listText(null, ["a".repeat(20), "b".repeat(20)], 3, "note", 60)).toBe(
      `${"a".repeat(20)}\nand 2 more notes`,
    );
    expect(listText(null, ["a".repeat(80)], 1, "note", 50)).toBe("1 note");
  });
});

describe("trend", () => {
  const higher = { unit: "count" as const, direction: "higher" as const };
  it("says whether a change is better or worse as the metric's direction says", () => {
    expect(trend({ absolute: 12, relative: 0.12 }, higher)).toMatch(/^↑ \+.* \(better\)$/);
    expect(trend({ absolute: -3, relative: -0.03 }, higher)).toMatch(/^↓ -.* \(worse\)$/);
    expect(trend({ absolute: -3, relative: -0.03 }, { unit: "count", direction: "lower" })).toMatch(
      /\(better\)$/,
    );
  });
});

describe("clean", () => {
  it("turns control characters and line breaks into spaces on one line", () => {
    expect(clean(" a\u0000\u0000b\r\nc\u007f ")).toBe("a b c");
  });
});
