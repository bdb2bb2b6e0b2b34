import { describe, expect, it } from "vitest";
import {
  channelMention,
  definitionLine,
  escapeAndTruncate,
  escapeMrkdwn,
  mrkdwn,
  plain,
  slackDate,
  truncate,
  userMention,
  VERDICT_EMOJI,
} from "../../../src/presentation/slack/text.ts";
import { mrkdwnEscapingProblems } from "../../support/block-kit-limits.ts";
import { EVIL, HUGE, NOW, NOW_TOKEN } from "./fixtures.ts";

describe("escapeMrkdwn", () => {
  it("escapes the three characters Slack asks for, and only those", () => {
    expect(escapeMrkdwn("a & <b> *c* _d_")).toBe("a &amp; &lt;b&gt; *c* _d_");
    expect(escapeMrkdwn("&amp;")).toBe("&amp;amp;");
  });
});

describe("truncate", () => {
  it("leaves short text alone and cuts long text to the limit with an ellipsis", () => {
    expect(truncate("Ana Costa", 75)).toBe("Ana Costa");
    expect(truncate("abcdefghij", 5)).toBe("abcd…");
    expect(truncate("abcdefghij", 5)).toHaveLength(5);
    expect(truncate("abc", 0)).toBe("");
  });

  it("never splits an emoji, even one made of several code points", () => {
    const family = "👩‍👩‍👧‍👦"; // 11 UTF-16 units, one grapheme
    expect(truncate(`ab${family}cd`, 12)).toBe("ab…");
    expect(truncate(`ab${family}cd`, 14)).toBe(`ab${family}…`);
    expect(truncate("😀😀😀😀", 5)).toBe("😀😀…");
  });
});

describe("escapeAndTruncate", () => {
  it("fits the escaped text, never cutting an entity in half", () => {
    expect(escapeAndTruncate("&&&&", 9)).toBe("&amp;…");
    expect(escapeAndTruncate("a<b", 100)).toBe("a&lt;b");
    const out = escapeAndTruncate(HUGE, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.endsWith("…")).toBe(true);
    expect(mrkdwnEscapingProblems(out)).toEqual([]);
  });
});

describe("slackDate", () => {
  it("uses Slack's date formatting with an ISO fallback", () => {
    expect(slackDate(NOW)).toBe(NOW_TOKEN);
    expect(slackDate(new Date("2026-11-18T09:30:00.999Z"))).toBe(NOW_TOKEN);
  });

  it("survives an invalid date", () => {
    expect(slackDate(new Date(Number.NaN))).toBe("an unknown time");
  });
});

describe("mentions", () => {
  it("mentions Slack ids and shows anything else as escaped text", () => {
    expect(userMention("U123ABC")).toBe("<@U123ABC>");
    expect(channelMention("C42")).toBe("<#C42>");
    expect(userMention("ana@acme.example")).toBe("ana@acme.example");
    expect(userMention("<!channel>")).toBe("&lt;!channel&gt;");
  });
});

describe("text objects", () => {
  it("builds plain_text with emoji and mrkdwn", () => {
    expect(plain("Hi")).toEqual({ type: "plain_text", text: "Hi", emoji: true });
    expect(mrkdwn("*Hi*")).toEqual({ type: "mrkdwn", text: "*Hi*" });
  });

  it("has one emoji per verdict", () => {
    expect(VERDICT_EMOJI).toEqual({ fit: "✅", not_yet: "⏳", not_fit: "❌" });
  });
});

describe("definitionLine", () => {
  it("reads met, not met and unknown", () => {
    expect(definitionLine({ status: "met", failures: [], version: 3 })).toBe(
      "✓ Meets the agreed definition (v3)",
    );
    expect(
      definitionLine({
        status: "not_met",
        version: 3,
        failures: [
          { text: "region in NA, EU", reason: "failed" },
          { text: "employees >= 50", reason: "missing" },
        ],
      }),
    ).toBe(
      "✗ Misses the agreed definition (v3): region in NA, EU — failed · employees >= 50 — missing",
    );
    expect(definitionLine({ status: "unknown", failures: [], version: null })).toBe(
      "? No agreed definition yet",
    );
  });

  it("keeps a long list of failures short and counts the rest", () => {
    const line = definitionLine({
      status: "not_met",
      version: 4,
      failures: Array.from({ length: 50 }, (_, i) => ({
        text: `field_${i} in ${EVIL.repeat(20)}`,
        reason: "failed" as const,
      })),
    });
    expect(line.length).toBeLessThanOrEqual(400);
    expect(line).toMatch(/ · \+\d+ more$/);
  });
});
