import { describe, expect, it } from "vitest";
import { memoize } from "../../src/domain/memoize.ts";

describe("memoize", () => {
  it("runs the load on the first call only; every call, also a concurrent one, gets its one promise", async () => {
    let loads = 0;
    const load = memoize(async () => {
      loads += 1;
      return { loaded: loads };
    });
    const first = load();
    expect(load()).toBe(first);
    expect(await first).toEqual({ loaded: 1 });
    expect(await load()).toBe(await first);
    expect(loads).toBe(1);
  });

  it("keeps a failed load's rejection rather than loading again", async () => {
    let loads = 0;
    const load = memoize(async () => {
      loads += 1;
      throw new Error(`load ${loads} failed`);
    });
    await expect(load()).rejects.toThrow("load 1 failed");
    await expect(load()).rejects.toThrow("load 1 failed");
    expect(loads).toBe(1);
  });
});
