import { describe, expect, it } from "vitest";
import { cronProblem, nextFire, previousFire } from "../../src/domain/digest-fire-times.ts";

describe("cronProblem", () => {
  it("accepts five-field expressions node-cron can run", () => {
    expect(cronProblem("0 9 * * 1")).toBeNull();
    expect(cronProblem(" 30 8 * * mon-fri ")).toBeNull();
    expect(cronProblem("0 9 1 * *")).toBeNull();
  });

  it("names what is wrong", () => {
    expect(cronProblem("0 9 * *")).toMatch(/five fields/);
    expect(cronProblem("0 0 9 * * 1")).toMatch(/five fields/);
    expect(cronProblem("61 9 * * 1")).toMatch(/minute/);
    expect(cronProblem("0 25 * * 1")).toMatch(/hour/);
    expect(cronProblem("0 9 * * funday")).not.toBeNull();
  });
});

describe("previousFire and nextFire", () => {
  const now = new Date("2026-11-23T08:30:00Z"); // Monday 09:30 in Berlin

  it("find the fire times around now in the schedule's zone", () => {
    expect(previousFire("0 9 * * 1", "Europe/Berlin", now)?.toISOString()).toBe(
      "2026-11-23T08:00:00.000Z",
    );
    expect(nextFire("0 9 * * 1", "Europe/Berlin", now)?.toISOString()).toBe(
      "2026-11-30T08:00:00.000Z",
    );
    expect(previousFire("0 9 * * 1", "America/New_York", now)?.toISOString()).toBe(
      "2026-11-16T14:00:00.000Z",
    );
  });

  it("count a time exactly now as fired, not as next", () => {
    const at = new Date("2026-11-23T08:00:00Z");
    expect(previousFire("0 9 * * 1", "Europe/Berlin", at)?.toISOString()).toBe(at.toISOString());
    expect(nextFire("0 9 * * 1", "Europe/Berlin", at)?.toISOString()).toBe(
      "2026-11-30T08:00:00.000Z",
    );
  });

  it("cross DST changes like the running task", () => {
    // Monday 09:00 Berlin after clocks went back on 25 October is 08:00 UTC; before, 07:00 UTC.
    const tuesday = new Date("2026-10-27T12:00:00Z");
    expect(previousFire("0 9 * * 1", "Europe/Berlin", tuesday)?.toISOString()).toBe(
      "2026-10-26T08:00:00.000Z",
    );
    expect(
      previousFire("0 9 * * 1", "Europe/Berlin", new Date("2026-10-26T07:30:00Z"))?.toISOString(),
    ).toBe("2026-10-19T07:00:00.000Z");
  });

  it("look back far enough for a monthly expression", () => {
    expect(previousFire("0 9 1 * *", "UTC", now)?.toISOString()).toBe("2026-11-01T09:00:00.000Z");
    expect(nextFire("0 9 1 * *", "UTC", now)?.toISOString()).toBe("2026-12-01T09:00:00.000Z");
  });

  it("return null for an expression that never fires within the horizon", () => {
    // 29 February: the last one was in 2024, the next is in 2028.
    expect(previousFire("0 9 29 2 *", "UTC", now)).toBeNull();
    expect(nextFire("0 9 29 2 *", "UTC", now)).toBeNull();
  });
});

describe("security #10f: a schedule across a DST change fires once a week", () => {
  // 14 March 2027, New York: clocks jump from 02:00 EST (UTC-5) to 03:00 EDT (UTC-4).
  const SPRING_FORWARD_ET = "America/New_York";

  it("fires a time that does not exist on the spring-forward day at the first valid minute after it", () => {
    const saturday = new Date("2027-03-13T12:00:00Z");
    // 03:00 EDT, when 02:30 would have been.
    expect(nextFire("30 2 * * 0", SPRING_FORWARD_ET, saturday)?.toISOString()).toBe(
      "2027-03-14T07:00:00.000Z",
    );
    expect(nextFire("30 2 * * 0", "Europe/Berlin", new Date("2026-03-28T12:00:00Z"))).toEqual(
      new Date("2026-03-29T01:00:00Z"),
    );
    // Seen from later that day, it is the latest fire time, so a sync takes it up.
    expect(
      previousFire(
        "30 2 * * 0",
        SPRING_FORWARD_ET,
        new Date("2027-03-14T07:00:30Z"),
      )?.toISOString(),
    ).toBe("2027-03-14T07:00:00.000Z");
    // The week before and after, 02:30 exists and is kept.
    expect(
      previousFire(
        "30 2 * * 0",
        SPRING_FORWARD_ET,
        new Date("2027-03-14T06:59:00Z"),
      )?.toISOString(),
    ).toBe("2027-03-07T07:30:00.000Z");
    expect(
      nextFire("30 2 * * 0", SPRING_FORWARD_ET, new Date("2027-03-14T07:00:00Z"))?.toISOString(),
    ).toBe("2027-03-21T06:30:00.000Z");
  });

  it("keeps the expression's days: a time in the gap on another weekday does not fire on Sunday", () => {
    expect(
      nextFire("30 2 * * 1", SPRING_FORWARD_ET, new Date("2027-03-13T12:00:00Z"))?.toISOString(),
    ).toBe("2027-03-15T06:30:00.000Z");
  });

  it("fires a time that occurs twice on the fall-back day once, at its first occurrence", () => {
    // 1 November 2026, New York: 01:30 is 05:30 UTC (EDT), then again 06:30 UTC (EST).
    const first = new Date("2026-11-01T05:30:00Z");
    expect(nextFire("30 1 * * 0", SPRING_FORWARD_ET, new Date("2026-10-31T12:00:00Z"))).toEqual(
      first,
    );
    expect(nextFire("30 1 * * 0", SPRING_FORWARD_ET, first)?.toISOString()).toBe(
      "2026-11-08T06:30:00.000Z",
    );
    expect(previousFire("30 1 * * 0", SPRING_FORWARD_ET, new Date("2026-11-01T06:45:00Z"))).toEqual(
      first,
    );
  });
});
