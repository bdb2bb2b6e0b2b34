import { describe, expect, it } from "vitest";
import { Pacer } from "../../src/domain/pacer.ts";

describe("Pacer", () => {
  it("lets one call a key go at once, then spaces the next ones an interval apart", () => {
    const pacer = new Pacer(1000);
    expect([0, 0, 0].map(() => pacer.reserve("C1", 5000))).toEqual([5000, 6000, 7000]);
  });

  it("lets a burst go at once, then one call per interval", () => {
    const pacer = new Pacer(1200, 3);
    const slots = Array.from({ length: 6 }, () => pacer.reserve("T1", 0));
    expect(slots).toEqual([0, 0, 0, 1200, 2400, 3600]);
  });

  it("paces each key on its own", () => {
    const pacer = new Pacer(1000);
    expect(pacer.reserve("C1", 0)).toBe(0);
    expect(pacer.reserve("C2", 0)).toBe(0);
    expect(pacer.reserve("C1", 0)).toBe(1000);
  });

  it("gives a key that has been quiet its burst back", () => {
    const pacer = new Pacer(1000, 2);
    expect([pacer.reserve("T1", 0), pacer.reserve("T1", 0), pacer.reserve("T1", 0)]).toEqual([
      0, 0, 1000,
    ]);
    expect(pacer.reserve("T1", 1500)).toBe(2000);
    expect([pacer.reserve("T1", 10_000), pacer.reserve("T1", 10_000)]).toEqual([10_000, 10_000]);
  });

  it("with no interval never makes a call wait", () => {
    const pacer = new Pacer(0);
    expect([pacer.reserve("C1", 7), pacer.reserve("C1", 7)]).toEqual([7, 7]);
  });

  it("once it holds more than 10,000 keys, still paces a key whose slot is ahead", () => {
    const pacer = new Pacer(1000);
    pacer.reserve("C1", 0);
    expect(pacer.reserve("C1", 0)).toBe(1000);
    for (let i = 0; i < 10_000; i++) pacer.reserve(`quiet-${i}`, 0);
    // The quiet keys' slots are past by 1,500 and are forgotten; C1's next one, at 2,000, is not.
    expect(pacer.reserve("new", 1500)).toBe(1500);
    expect(pacer.reserve("C1", 1500)).toBe(2000);
    expect(pacer.reserve("quiet-0", 1500)).toBe(1500);
  });
});
