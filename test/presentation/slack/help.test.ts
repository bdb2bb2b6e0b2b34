import { describe, expect, it } from "vitest";
import {
  helpMessage,
  noLeadMatches,
  otherMatchesNote,
} from "../../../src/presentation/slack/help.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import { EVIL, HUGE } from "./fixtures.ts";

describe("helpMessage", () => {
  it("lists the commands", () => {
    const message = helpMessage();
    const json = JSON.stringify(message.blocks);
    for (const command of [
      "`/leadfit` — ",
      "`/leadfit &lt;email or lead id&gt;`",
      "`/leadfit note &lt;text&gt;`",
      "`/leadfit definition`",
      "`/leadfit help`",
    ]) {
      expect(json).toContain(command);
    }
    expect(message.text).toContain("/leadfit");
    expectWithinSlackLimits(message);
  });
});

describe("noLeadMatches", () => {
  it("quotes what was searched", () => {
    const message = noLeadMatches("ana@acme.example");
    expect(message.text).toBe("No lead matches “ana@acme.example”. Try an email or the CRM id.");
    expectWithinSlackLimits(message);
  });

  it("escapes and shortens a hostile query", () => {
    const message = noLeadMatches(`${EVIL}${HUGE}`);
    expect(message.text).not.toContain("<script>");
    expect(message.text.length).toBeLessThan(200);
    expectWithinSlackLimits(message);
  });
});

describe("otherMatchesNote", () => {
  it("names how many other leads share the email", () => {
    expect(otherMatchesNote(2, "ana@acme.example")).toBe(
      "2 other leads share this email (ana@acme.example); showing the newest.",
    );
    expect(otherMatchesNote(1, "ana@acme.example")).toBe(
      "1 other lead shares this email (ana@acme.example); showing the newest.",
    );
    expect(otherMatchesNote(3, EVIL)).not.toContain("<script>");
  });
});
