/**
 * Spaces calls at least `intervalMs` apart, in the order they were asked for. A rolling limit of
 * N calls per T is never exceeded at T/N spacing, and the spacing is the whole allowance: no burst
 * is wasted waiting for a fixed window to turn over.
 */
export class Pace {
  private next = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = realClock,
  ) {}

  async turn(): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await this.clock.sleep(at - now);
  }

  /** Nothing may go before `ms` from now (the CRM said so with Retry-After or a 429). */
  holdFor(ms: number): void {
    this.next = Math.max(this.next, this.clock.now() + ms);
  }
}

export const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
