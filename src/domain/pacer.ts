/**
 * Spaces calls out under a rate limit, per key (a channel, a workspace): a burst of `burst` calls,
 * then one every `intervalMs` (the generic cell rate algorithm). Times are milliseconds on
 * whichever clock the caller uses, the same one for every call.
 */
export class Pacer {
  /** Per key, when the next call would be due if calls went one every interval. */
  private readonly due = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly burst = 1,
  ) {}

  /** Books the key's next slot and returns when it is: `now` when a call may go at once. */
  reserve(key: string, now: number): number {
    if (this.due.size > 10_000) this.forgetPast(now);
    const due = Math.max(this.due.get(key) ?? now, now);
    this.due.set(key, due + this.intervalMs);
    return Math.max(now, due - (this.burst - 1) * this.intervalMs);
  }

  /** Keys whose slots are all in the past pace as new ones: forgetting them bounds the map. */
  private forgetPast(now: number): void {
    for (const [key, due] of this.due) if (due <= now) this.due.delete(key);
  }
}
