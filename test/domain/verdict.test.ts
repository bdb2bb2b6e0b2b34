import { describe, expect, it } from "vitest";
import {
  VERDICT_LABELS,
  VERDICTS,
  type VerdictEvent,
  verdictAsOf,
} from "../../src/domain/verdict.ts";
import { weekBounds } from "../../src/domain/week.ts";

function event(verdict: VerdictEvent["verdict"], givenAt: string): VerdictEvent {
  return {
    verdict,
    givenAt: new Date(givenAt),
    reasons: verdict === "not_fit" ? ["no_budget"] : [],
    definitionStatus: "met",
  };
}

describe("verdictAsOf", () => {
  // Lead created and judged "not yet" in 2026-W47, re-judged "fit" in W48 (Europe/Berlin).
  const notYet = event("not_yet", "2026-11-19T10:00:00Z");
  const fit = event("fit", "2026-11-24T09:00:00Z");
  const w47 = weekBounds({ year: 2026, week: 47 }, "Europe/Berlin");
  const w48 = weekBounds({ year: 2026, week: 48 }, "Europe/Berlin");

  it("gives a past week the verdict in force at its end, not the later re-judgement", () => {
    expect(verdictAsOf([notYet, fit], w47.end)?.verdict).toBe("not_yet");
    expect(verdictAsOf([notYet, fit], w48.end)?.verdict).toBe("fit");
  });

  it("does not depend on the order of the history", () => {
    expect(verdictAsOf([fit, notYet], w47.end)).toBe(notYet);
    expect(verdictAsOf([fit, notYet], w48.end)).toBe(fit);
  });

  it("treats asOf as exclusive and returns undefined before any verdict", () => {
    expect(verdictAsOf([notYet], new Date("2026-11-19T10:00:00Z"))).toBeUndefined();
    expect(verdictAsOf([notYet], new Date("2026-11-19T10:00:00.001Z"))).toBe(notYet);
    expect(verdictAsOf([], w48.end)).toBeUndefined();
  });

  it("lets the later array element win on equal times", () => {
    const first = event("fit", "2026-11-20T08:00:00Z");
    const second = event("not_fit", "2026-11-20T08:00:00Z");
    expect(verdictAsOf([first, second], w47.end)).toBe(second);
    expect(verdictAsOf([second, first], w47.end)).toBe(first);
  });
});

describe("verdict labels", () => {
  it("labels every verdict", () => {
    expect(VERDICTS.map((v) => VERDICT_LABELS[v])).toEqual(["Good fit", "Not yet", "Not a fit"]);
  });
});
