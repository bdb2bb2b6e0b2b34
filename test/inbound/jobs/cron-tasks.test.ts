import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { formatIsoWeek, lastCompleteWeek } from "../../../src/domain/week.ts";
import { CronTasks } from "../../../src/inbound/jobs/digest-scheduler.ts";

const DAY = 86_400_000;

/** The fire times of the tasks over `days` of fake time from `start`. */
async function firesOver(
  start: string,
  days: number,
  timings: { id: string; expression: string; timeZone: string }[],
): Promise<{ id: string; at: string }[]> {
  vi.setSystemTime(new Date(start));
  const fired: { id: string; at: string }[] = [];
  const tasks = new CronTasks(async (id, at) => {
    fired.push({ id, at: at.toISOString() });
  });
  tasks.sync(timings);
  await vi.advanceTimersByTimeAsync(days * DAY);
  tasks.stop();
  return fired;
}

describe("the digest schedules' cron tasks on a fake clock", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fire once a week at 09:00 local across the end of summer time in Berlin", async () => {
    const fired = await firesOver("2026-10-12T00:00:00Z", 35, [
      { id: "monday", expression: "0 9 * * 1", timeZone: "Europe/Berlin" },
    ]);
    expect(fired.map((f) => f.at)).toEqual([
      "2026-10-12T07:00:00.000Z",
      "2026-10-19T07:00:00.000Z",
      // Clocks went back on 25 October: 09:00 is now UTC+1.
      "2026-10-26T08:00:00.000Z",
      "2026-11-02T08:00:00.000Z",
      "2026-11-09T08:00:00.000Z",
    ]);
    expect(
      fired.map((f) => formatIsoWeek(lastCompleteWeek(new Date(f.at), "Europe/Berlin"))),
    ).toEqual(["2026-W41", "2026-W42", "2026-W43", "2026-W44", "2026-W45"]);
  });

  it("fire once a week across the start of summer time in New York, a Sunday evening schedule", async () => {
    const fired = await firesOver("2026-02-22T12:00:00Z", 28, [
      { id: "sunday", expression: "30 18 * * 0", timeZone: "America/New_York" },
    ]);
    expect(fired.map((f) => f.at)).toEqual([
      "2026-02-22T23:30:00.000Z",
      "2026-03-01T23:30:00.000Z",
      // Clocks went forward on 8 March, that morning: 18:30 is UTC-4 the same day.
      "2026-03-08T22:30:00.000Z",
      "2026-03-15T22:30:00.000Z",
    ]);
  });

  it("restart a task whose timing changed and stop one that was removed", async () => {
    vi.setSystemTime(new Date("2026-11-02T00:00:00Z"));
    const fired: { id: string; at: string }[] = [];
    const tasks = new CronTasks(async (id, at) => {
      fired.push({ id, at: at.toISOString() });
    });
    tasks.sync([
      { id: "a", expression: "0 9 * * 1", timeZone: "UTC" },
      { id: "b", expression: "0 9 * * 1", timeZone: "UTC" },
    ]);
    expect(tasks.size).toBe(2);
    tasks.sync([{ id: "a", expression: "0 10 * * 2", timeZone: "UTC" }]);
    expect(tasks.size).toBe(1);
    await vi.advanceTimersByTimeAsync(2 * DAY);
    expect(fired).toEqual([{ id: "a", at: "2026-11-03T10:00:00.000Z" }]);
    tasks.stop();
    expect(tasks.size).toBe(0);
  });

  it("fire once when the local time occurs twice (clocks set back through it)", async () => {
    const fired = await firesOver("2026-10-24T12:00:00Z", 2, [
      { id: "night", expression: "30 2 * * 0", timeZone: "Europe/Berlin" },
    ]);
    // 02:30 happens at 00:30 UTC (summer time) and again at 01:30 UTC: node-cron takes the second.
    expect(fired.map((f) => f.at)).toEqual(["2026-10-25T01:30:00.000Z"]);
  });
});
