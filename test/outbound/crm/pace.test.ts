import { describe, expect, it } from "vitest";
import { Pace } from "../../../src/outbound/crm/pace.ts";

/** A clock of its own: sleeping moves it on at once, `late` ms after the sleep was due. */
function testClock(late: () => number = () => 0) {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms + late();
    },
    /** The caller comes back at `at`. */
    setTo: (at: number) => {
      now = Math.max(now, at);
    },
  };
}

async function turnsAt(pace: Pace, clock: { now(): number }, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await pace.turn();
    times.push(clock.now());
  }
  return times;
}

describe("Pace: at most N calls in any window", () => {
  it("lets N calls go at once, then each next one when the oldest leaves the window", async () => {
    const clock = testClock();
    const pace = new Pace({ calls: 5, windowMs: 1000 }, clock);
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, () => pace.turn().then(() => times.push(clock.now()))),
    );
    expect(times).toEqual([0, 0, 0, 0, 0, 1000, 1000]);
  });

  it("lets a call asked for late go at once, and the ones after it catch up", async () => {
    const clock = testClock();
    const pace = new Pace({ calls: 5, windowMs: 1000 }, clock);
    expect(await turnsAt(pace, clock, 5)).toEqual([0, 0, 0, 0, 0]);
    // The caller was busy for 1.5 s: the calls it missed meanwhile are allowed at once.
    clock.setTo(1500);
    expect(await turnsAt(pace, clock, 6)).toEqual([1500, 1500, 1500, 1500, 1500, 2500]);
  });

  it("counts calls when they went, so timers firing late never squeeze N + 1 into a window", async () => {
    let seed = 7;
    // Deterministic lateness of 0–49 ms, as a busy event loop fires timers.
    const clock = testClock(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 50;
    });
    const pace = new Pace({ calls: 5, windowMs: 1000 }, clock);
    const times = await turnsAt(pace, clock, 60);
    for (let i = 5; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 5] ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("holds every call back for as long as the CRM asked, the window still counting", async () => {
    const clock = testClock();
    const pace = new Pace({ calls: 2, windowMs: 1000 }, clock);
    await pace.turn();
    pace.holdFor(3000);
    // Only the call at 0 is in the window then: two may go at 3000.
    expect(await turnsAt(pace, clock, 3)).toEqual([3000, 3000, 4000]);
  });
});
