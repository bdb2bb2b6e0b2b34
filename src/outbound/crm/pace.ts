/**
 * At most `calls` calls in any `windowMs`, given in the order they were asked for: a rate limit as
 * vendors state it (N per T, over a rolling window). A call asked for late goes at once, and the
 * ones after it as soon as the window allows, so the time lost waiting for the caller is made up;
 * spacing calls T/N apart would lose it for good.
 */
export class Pace {
  /** When the latest turns (at most `calls`) were given, oldest first. */
  private readonly given: number[] = [];
  private heldUntil = Number.NEGATIVE_INFINITY;
  /** The turn asked for last: each turn waits for the one before it. */
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: { calls: number; windowMs: number },
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = realClock,
  ) {}

  turn(): Promise<void> {
    const turn = this.last.then(() => this.wait());
    this.last = turn.catch(() => undefined);
    return turn;
  }

  /** Nothing may go before `ms` from now (the CRM said so with Retry-After or a 429). */
  holdFor(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.clock.now() + ms);
  }

  private async wait(): Promise<void> {
    for (;;) {
      const oldest = this.given.length < this.limit.calls ? undefined : this.given[0];
      const due = Math.max(
        this.heldUntil,
        (oldest ?? Number.NEGATIVE_INFINITY) + this.limit.windowMs,
      );
      const now = this.clock.now();
      if (due <= now) break;
      await this.clock.sleep(due - now);
    }
    // Read after the sleep, which can end late: the window counts calls when they went.
    this.given.push(this.clock.now());
    if (this.given.length > this.limit.calls) this.given.shift();
  }
}

export const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
