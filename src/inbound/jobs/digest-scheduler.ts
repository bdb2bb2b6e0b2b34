import { type ScheduledTask, schedule as startCronTask } from "node-cron";
import type { Deps } from "../../deps.ts";
import { nextFire, previousFire } from "../../domain/digest-fire-times.ts";
import {
  type ActiveSchedule,
  cronExpression,
  type DigestSchedule,
} from "../../domain/digest-schedule.ts";
import {
  activeSchedules,
  retryableSchedules,
  runScheduledDigest,
} from "../../services/run-scheduled-digest.ts";

export interface TaskTiming {
  id: string;
  expression: string;
  timeZone: string;
}

const keyOf = (timing: TaskTiming) => `${timing.expression}|${timing.timeZone}`;

/**
 * One node-cron task per schedule, in the schedule's zone, kept in step with the list given to
 * `sync`: new schedules start, changed ones restart, removed ones stop.
 */
export class CronTasks {
  private readonly tasks = new Map<string, { key: string; task: ScheduledTask }>();

  constructor(private readonly onFire: (id: string, firedAt: Date) => Promise<void>) {}

  sync(timings: readonly TaskTiming[]): void {
    const wanted = new Map(timings.map((t) => [t.id, keyOf(t)]));
    for (const [id, entry] of this.tasks) {
      if (wanted.get(id) === entry.key) continue;
      void entry.task.destroy();
      this.tasks.delete(id);
    }
    for (const timing of timings) {
      if (this.tasks.has(timing.id)) continue;
      const task = startCronTask(
        timing.expression,
        (context) => this.onFire(timing.id, context.date),
        {
          timezone: timing.timeZone,
          name: `digest ${timing.id}`,
          noOverlap: true,
        },
      );
      this.tasks.set(timing.id, { key: keyOf(timing), task });
    }
  }

  get size(): number {
    return this.tasks.size;
  }

  stop(): void {
    this.sync([]);
  }
}

/**
 * Runs the digest schedules. node-cron tasks post each digest on time; `sync`, called every
 * half minute, brings in changes made on any replica and takes up what the tasks could not: a
 * time missed while no process ran (after downtime, only the latest), a failed run whose retry
 * time has come, a run left behind by a process that stopped. Every path ends in the same claim of
 * (schedule, week), so each digest is posted once however many replicas fire.
 */
export class DigestScheduler {
  private readonly tasks = new CronTasks((id, firedAt) => this.fire(id, firedAt));
  /** Per schedule: its last fire time, valid until its next one. */
  private readonly lastFires = new Map<
    string,
    { key: string; firedAt: Date | null; until: number }
  >();
  /** The last fire time this process has tried to post, per schedule. */
  private readonly attempted = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly deps: Deps,
    /** How many digests are built and posted at once. */
    private readonly concurrency = 8,
  ) {}

  async sync(): Promise<void> {
    if (this.stopped) return;
    const active = await activeSchedules(this.deps);
    this.tasks.sync(
      active.map(({ schedule, timeZone }) => ({
        id: schedule.id,
        expression: cronExpression(schedule),
        timeZone,
      })),
    );
    const now = this.deps.now();
    const retryable = new Set(await retryableSchedules(this.deps));
    const due: { schedule: DigestSchedule; firedAt: Date }[] = [];
    for (const item of active) {
      const firedAt = this.lastFire(item, now);
      // Times before the schedule existed are not owed.
      if (!firedAt || firedAt < item.schedule.createdAt) continue;
      const fresh = this.attempted.get(item.schedule.id) !== firedAt.getTime();
      if (fresh || retryable.has(item.schedule.id)) due.push({ schedule: item.schedule, firedAt });
    }
    // A few at a time: a slow workspace (Slack pacing it, say) does not hold up the others.
    const workers = Array.from({ length: Math.min(this.concurrency, due.length) }, async () => {
      for (let next = due.shift(); next; next = due.shift())
        await this.run(next.schedule, next.firedAt);
    });
    await Promise.all(workers);
  }

  /** Stops the tasks and waits for the posts in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.tasks.stop();
    await Promise.all(this.running);
  }

  private async fire(id: string, firedAt: Date): Promise<void> {
    try {
      const [item] = await activeSchedules(this.deps, { scheduleId: id });
      if (item) await this.run(item.schedule, firedAt);
    } catch (error) {
      // The next sync takes the digest up: it is still due.
      this.deps.log.error("digest schedule could not fire", {
        scheduleId: id,
        error: String(error),
      });
    }
  }

  private lastFire(item: ActiveSchedule, now: Date): Date | null {
    const expression = cronExpression(item.schedule);
    const key = keyOf({ id: item.schedule.id, expression, timeZone: item.timeZone });
    const cached = this.lastFires.get(item.schedule.id);
    if (cached?.key === key && now.getTime() < cached.until) return cached.firedAt;
    const firedAt = previousFire(expression, item.timeZone, now);
    const next = nextFire(expression, item.timeZone, now);
    this.lastFires.set(item.schedule.id, {
      key,
      firedAt,
      until: next?.getTime() ?? now.getTime() + 3_600_000,
    });
    return firedAt;
  }

  private async run(schedule: DigestSchedule, firedAt: Date): Promise<void> {
    if (this.stopped) return;
    this.attempted.set(schedule.id, firedAt.getTime());
    const running = runScheduledDigest(this.deps, { schedule, firedAt })
      .then(() => undefined)
      .catch((error: unknown) =>
        this.deps.log.error("scheduled digest could not run", {
          scheduleId: schedule.id,
          error: String(error),
        }),
      );
    this.running.add(running);
    await running;
    this.running.delete(running);
  }
}
