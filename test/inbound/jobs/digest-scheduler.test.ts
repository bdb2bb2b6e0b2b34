import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DigestSchedule } from "../../../src/domain/digest-schedule.ts";
import { formatIsoWeek, lastCompleteWeek } from "../../../src/domain/week.ts";
import { DigestScheduler } from "../../../src/inbound/jobs/digest-scheduler.ts";
import { ADMIN, type AppHarness, startApp } from "../../support/app-harness.ts";
import { uniqueId } from "../../support/database.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("the digest scheduler", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp();
    // A North Star gives the digest its trend chart, uploaded into the thread.
    await h.deps.repos.workspaces.setTrackedMetrics(
      h.teamId,
      { northStar: { metricKey: "pipeline", weeklyTarget: null }, kpis: [] },
      ADMIN,
    );
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.deps.db.prisma.digestSchedule.deleteMany({ where: { workspaceId: h.teamId } });
    h.fake.reset();
  });

  /**
   * A weekly schedule in UTC whose last time was `hoursAgo` hours ago (so a post now is late),
   * created `ageDays` days ago: every week since then was owed.
   */
  async function weeklySchedule(
    options: { hoursAgo?: number; ageDays?: number; channelId?: string } = {},
  ): Promise<{ schedule: DigestSchedule; firedAt: Date }> {
    const firedAt = new Date(Date.now() - (options.hoursAgo ?? 2) * HOUR);
    firedAt.setUTCSeconds(0, 0);
    const schedule = await h.deps.repos.schedules.save(h.teamId, ADMIN, {
      channelId: options.channelId ?? uniqueId("C"),
      weekday: ((firedAt.getUTCDay() + 6) % 7) + 1,
      time: firedAt.toISOString().slice(11, 16),
      cron: null,
      timezone: "UTC",
      enabled: true,
    });
    const createdAt = new Date(Date.now() - (options.ageDays ?? 30) * DAY);
    await h.deps.db.prisma.digestSchedule.update({
      where: { id: schedule.id },
      data: { createdAt },
    });
    return { schedule: { ...schedule, createdAt }, firedAt };
  }

  const runsOf = (scheduleId: string) =>
    h.deps.db.prisma.digestRun.findMany({ where: { scheduleId }, orderBy: { week: "asc" } });
  const reportedWeek = (firedAt: Date) => formatIsoWeek(lastCompleteWeek(firedAt, "UTC"));

  it("after downtime posts only the latest missed week, once, marked late", async () => {
    const { schedule, firedAt } = await weeklySchedule({ ageDays: 30 });
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    await scheduler.sync();
    await scheduler.stop();

    const messages = h.fake.messages(schedule.channelId);
    expect(messages).toHaveLength(1);
    expect(String(messages[0]?.text)).toContain("(late)");
    expect(messages[0]?.metadata).toMatchObject({ event_type: "leadfit_digest" });
    const runs = await runsOf(schedule.id);
    expect(runs).toMatchObject([
      {
        week: reportedWeek(firedAt),
        status: "posted",
        late: true,
        attempts: 1,
        messageTs: messages[0]?.ts,
      },
    ]);
    // The charts went into the digest's thread, each chart once. Calls are not counted: a call
    // whose answer is lost in transit is sent again by the Web API client, with the same files.
    const completions = h.fake.calls("files.completeUploadExternal");
    for (const call of completions) expect(call.params.thread_ts).toBe(messages[0]?.ts);
    const files = completions.flatMap(
      (call) => call.params.files as { id: string; title: string }[],
    );
    const titles = new Map(files.map((file) => [file.id, file.title]));
    expect(titles.size).toBeGreaterThan(0);
    expect(new Set(titles.values()).size).toBe(titles.size);
  });

  it("posts on time, not late, when it runs right after the schedule's time", async () => {
    const { schedule } = await weeklySchedule({ hoursAgo: 0 });
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    await scheduler.stop();
    expect(h.fake.messages(schedule.channelId)).toHaveLength(1);
    expect(String(h.fake.messages(schedule.channelId)[0]?.text)).not.toContain("(late)");
    expect((await runsOf(schedule.id))[0]?.late).toBe(false);
  });

  it("two app instances on one PostgreSQL firing the same schedule post it once", async () => {
    const second = await startApp({}, { alongside: h });
    try {
      const { schedule } = await weeklySchedule();
      const replicas = [new DigestScheduler(h.deps), new DigestScheduler(second.deps)];
      await Promise.all(replicas.map((replica) => replica.sync()));
      await Promise.all(replicas.map((replica) => replica.sync()));
      await Promise.all(replicas.map((replica) => replica.stop()));
      expect(h.fake.messages(schedule.channelId)).toHaveLength(1);
      expect(await runsOf(schedule.id)).toMatchObject([{ status: "posted", attempts: 1 }]);
    } finally {
      await second.close();
    }
  });

  it("retries Slack's 429 after Retry-After and posts once", async () => {
    const { schedule } = await weeklySchedule();
    h.fake.failNext("chat.postMessage", { status: 429, headers: { "Retry-After": "1" } });
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    await scheduler.stop();
    const attempts = h.fake
      .calls("chat.postMessage")
      .filter((c) => c.params.channel === schedule.channelId && !c.params.thread_ts);
    expect(attempts).toHaveLength(2);
    const [first, second] = attempts.map((c) => c.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(900);
    expect(h.fake.messages(schedule.channelId)).toHaveLength(1);
    expect(await runsOf(schedule.id)).toMatchObject([{ status: "posted", attempts: 1 }]);
  });

  it("when Slack keeps answering 500 for one channel, the others still post and the failure is kept with a retry time", async () => {
    const failing = await weeklySchedule();
    const healthy = await weeklySchedule();
    h.fake.failNext("chat.postMessage", {
      status: 500,
      times: 100,
      when: (params) => params.channel === failing.schedule.channelId,
    });
    const before = Date.now();
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    await scheduler.stop();

    expect(h.fake.messages(healthy.schedule.channelId)).toHaveLength(1);
    expect(h.fake.messages(failing.schedule.channelId)).toHaveLength(0);
    const [failed] = await runsOf(failing.schedule.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed?.error).toMatch(/500/);
    expect(failed?.retryAt?.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    const shown = await h.deps.repos.digestRuns.failures(h.teamId, 10);
    expect(shown.map((f) => f.channelId)).toContain(failing.schedule.channelId);
  });

  it("takes a failed run up again when its retry time comes, and posts it once", async () => {
    const { schedule } = await weeklySchedule();
    h.fake.failNext("chat.postMessage", {
      status: 500,
      times: 4,
      when: (params) => params.channel === schedule.channelId,
    });
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    expect((await runsOf(schedule.id))[0]?.status).toBe("failed");
    await scheduler.sync();
    expect(h.fake.messages(schedule.channelId)).toHaveLength(0);

    await h.deps.db.prisma.digestRun.updateMany({
      where: { scheduleId: schedule.id },
      data: { retryAt: new Date(Date.now() - 1000) },
    });
    await scheduler.sync();
    await scheduler.stop();
    expect(h.fake.messages(schedule.channelId)).toHaveLength(1);
    expect(await runsOf(schedule.id)).toMatchObject([
      { status: "posted", attempts: 2, error: null, retryAt: null },
    ]);
  });

  it("does not post again a digest Slack received when the answer was lost", async () => {
    const { schedule } = await weeklySchedule();
    // Slack posts the message, but the answer never arrives: the client gives up on a 500.
    h.fake.respond("chat.postMessage", async (_params, _call, fallback) => {
      await fallback();
      return { ok: false, error: "internal_error" };
    });
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    expect((await runsOf(schedule.id))[0]?.status).toBe("failed");
    expect(h.fake.messages(schedule.channelId)).toHaveLength(1);

    h.fake.reset();
    await h.deps.db.prisma.digestRun.updateMany({
      where: { scheduleId: schedule.id },
      data: { retryAt: new Date(Date.now() - 1000) },
    });
    const [run] = await runsOf(schedule.id);
    h.fake.respond("conversations.history", () => ({
      messages: [
        {
          ts: "1790000000.000100",
          metadata: { event_type: "leadfit_digest", event_payload: { run_id: run?.id } },
        },
      ],
    }));
    await scheduler.sync();
    await scheduler.stop();
    expect(h.fake.calls("chat.postMessage")).toHaveLength(0);
    expect(await runsOf(schedule.id)).toMatchObject([
      { status: "posted", messageTs: "1790000000.000100", attempts: 2 },
    ]);
  });

  it("leaves a run that only a person can fix failed, without retry, until an admin retries it", async () => {
    const { schedule } = await weeklySchedule();
    h.fake.setChannel(schedule.channelId, { is_member: false });
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    const [failed] = await runsOf(schedule.id);
    expect(failed).toMatchObject({ status: "failed", error: "Slack answered not_in_channel" });
    expect(failed?.retryAt).toBeNull();

    h.fake.setChannel(schedule.channelId, { is_member: true });
    await scheduler.sync();
    expect(h.fake.messages(schedule.channelId)).toHaveLength(0);
    expect(await h.deps.repos.digestRuns.retryNow(h.teamId, failed?.id ?? "", new Date())).toBe(
      true,
    );
    await scheduler.sync();
    await scheduler.stop();
    expect(h.fake.messages(schedule.channelId)).toHaveLength(1);
  });

  it("skips the week an admin skipped, and owes nothing from before a schedule existed", async () => {
    const skipped = await weeklySchedule();
    await h.deps.repos.schedules.setSkipWeek(
      h.teamId,
      ADMIN,
      skipped.schedule.id,
      lastCompleteWeek(skipped.firedAt, "UTC"),
    );
    const young = await weeklySchedule({ ageDays: 0 });
    const disabled = await weeklySchedule();
    await h.deps.repos.schedules.save(h.teamId, ADMIN, {
      ...disabled.schedule,
      enabled: false,
    });
    const scheduler = new DigestScheduler(h.deps);
    await scheduler.sync();
    await scheduler.stop();
    expect(await runsOf(skipped.schedule.id)).toMatchObject([
      { status: "skipped", week: reportedWeek(skipped.firedAt) },
    ]);
    expect(await runsOf(young.schedule.id)).toEqual([]);
    expect(await runsOf(disabled.schedule.id)).toEqual([]);
    expect(h.fake.calls("chat.postMessage")).toHaveLength(0);
  });

  it("stops the schedules of a workspace that uninstalled the app", async () => {
    const { schedule } = await weeklySchedule();
    await h.deps.db.prisma.workspace.update({ where: { id: h.teamId }, data: { active: false } });
    try {
      const scheduler = new DigestScheduler(h.deps);
      await scheduler.sync();
      await scheduler.stop();
      expect(await runsOf(schedule.id)).toEqual([]);
      expect(h.fake.messages(schedule.channelId)).toHaveLength(0);
    } finally {
      await h.deps.db.prisma.workspace.update({ where: { id: h.teamId }, data: { active: true } });
    }
  });

  describe("security #10f: across a DST change, with the clock under the test's control", () => {
    /** A Sunday schedule in New York, created long before `clock` starts. */
    async function sundaySchedule(time: string): Promise<DigestSchedule> {
      const schedule = await h.deps.repos.schedules.save(h.teamId, ADMIN, {
        channelId: uniqueId("C"),
        weekday: 7,
        time,
        cron: null,
        timezone: "America/New_York",
        enabled: true,
      });
      const createdAt = new Date("2026-01-01T00:00:00Z");
      await h.deps.db.prisma.digestSchedule.update({
        where: { id: schedule.id },
        data: { createdAt },
      });
      return { ...schedule, createdAt };
    }

    const syncAt = async (iso: string) => {
      const scheduler = new DigestScheduler({ ...h.deps, now: () => new Date(iso) });
      await scheduler.sync();
      await scheduler.stop();
    };

    it("posts a 02:30 digest at 03:00 on the spring-forward day, on time, for that week", async () => {
      const schedule = await sundaySchedule("02:30");
      // 14 March 2027: 02:00 EST becomes 03:00 EDT; half a minute after 03:00 a sync runs.
      await syncAt("2027-03-14T07:00:30Z");
      expect(h.fake.messages(schedule.channelId)).toHaveLength(1);
      expect(await runsOf(schedule.id)).toMatchObject([
        { week: reportedWeek(new Date("2027-03-14T07:00:00Z")), status: "posted", late: false },
      ]);
    });

    it("posts a 01:30 digest once on the fall-back day, though 01:30 comes twice", async () => {
      const schedule = await sundaySchedule("01:30");
      // 1 November 2026: 01:30 EDT is 05:30 UTC, and 01:30 EST an hour later.
      await syncAt("2026-11-01T05:30:30Z");
      await syncAt("2026-11-01T06:30:30Z");
      expect(h.fake.messages(schedule.channelId)).toHaveLength(1);
      expect(await runsOf(schedule.id)).toMatchObject([
        { week: reportedWeek(new Date("2026-11-01T05:30:00Z")), status: "posted", late: false },
      ]);
    });
  });
});
