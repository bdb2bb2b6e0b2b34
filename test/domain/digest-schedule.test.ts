import { describe, expect, it } from "vitest";
import {
  cronExpression,
  describeTiming,
  reportedWeek,
  retryDelayMs,
  scheduleTimezone,
} from "../../src/domain/digest-schedule.ts";

describe("a schedule's timing", () => {
  it.each([
    [1, "09:00", "0 9 * * 1", "Mondays at 09:00"],
    [3, "07:05", "5 7 * * 3", "Wednesdays at 07:05"],
    [6, "17:30", "30 17 * * 6", "Saturdays at 17:30"],
    [7, "18:45", "45 18 * * 0", "Sundays at 18:45"],
    [null, "08:15", "15 8 * * 1", "Mondays at 08:15"],
    [5, null, "0 9 * * 5", "Fridays at 09:00"],
    [null, null, "0 9 * * 1", "Mondays at 09:00"],
  ])("weekday %s at %s fires on cron %s and reads %s", (weekday, time, cron, text) => {
    const given = { weekday, time, cron: null };
    expect(cronExpression(given)).toBe(cron);
    expect(describeTiming(given)).toBe(text);
  });

  it("is its own cron expression when it has one, whatever its weekday and time say", () => {
    const own = { weekday: 3, time: "07:05", cron: "0 8 * * 1-5" };
    expect(cronExpression(own)).toBe("0 8 * * 1-5");
    expect(describeTiming(own)).toBe("cron `0 8 * * 1-5`");
  });
});

describe("a schedule's time zone", () => {
  it("is its own, else the workspace's, else UTC", () => {
    expect(scheduleTimezone({ timezone: "Asia/Tokyo" }, { timezone: "Europe/Berlin" })).toBe(
      "Asia/Tokyo",
    );
    expect(scheduleTimezone({ timezone: null }, { timezone: "Europe/Berlin" })).toBe(
      "Europe/Berlin",
    );
    expect(scheduleTimezone({ timezone: null }, { timezone: null })).toBe("UTC");
  });
});

describe("the week a scheduled digest reports", () => {
  // Monday 23 November 2026 00:30 UTC: still Sunday 22 November in New York.
  const firedAt = new Date("2026-11-23T00:30:00Z");

  it("is the last week that has ended in the workspace's zone", () => {
    expect(reportedWeek(firedAt, { timezone: null })).toEqual({ year: 2026, week: 47 });
    expect(reportedWeek(firedAt, { timezone: "America/New_York" })).toEqual({
      year: 2026,
      week: 46,
    });
  });
});

describe("a failed run's retry", () => {
  it.each([
    [1, 60_000],
    [2, 5 * 60_000],
    [3, 15 * 60_000],
    [4, 60 * 60_000],
    [12, 60 * 60_000],
  ])("after attempt %i comes %i ms later", (attempts, delay) => {
    expect(retryDelayMs(attempts)).toBe(delay);
  });
});
