import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { type Caps, fitted } from "../../../src/presentation/slack/digest-fitting.ts";
import { MAX_MESSAGE_BLOCKS, MESSAGE_JSON_BUDGET } from "../../../src/presentation/slack/limits.ts";

const divider: KnownBlock = { type: "divider" };

describe("fitted", () => {
  it("keeps the first, richest attempt when it fits", () => {
    const seen: Caps[] = [];
    const blocks = fitted((caps) => {
      seen.push(caps);
      return [divider];
    });
    expect(blocks).toEqual([divider]);
    expect(seen).toHaveLength(1);
  });

  it("tries shorter texts until the message is within the JSON budget", () => {
    const seen: Caps[] = [];
    const blocks = fitted((caps) => {
      seen.push(caps);
      const text = "x".repeat(caps.noteText * 50);
      return [{ type: "section", text: { type: "mrkdwn", text } }];
    });
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(MESSAGE_JSON_BUDGET);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.map((c) => c.noteText)).toEqual(
      [...seen.map((c) => c.noteText)].sort((a, b) => b - a),
    );
  });

  it("tries fewer blocks when there are too many, and returns the last attempt if none fits", () => {
    const blocks = fitted(() => Array.from({ length: MAX_MESSAGE_BLOCKS + 1 }, () => divider));
    expect(blocks).toHaveLength(MAX_MESSAGE_BLOCKS + 1);
  });
});
