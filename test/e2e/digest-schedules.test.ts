import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { nextFire } from "../../src/domain/digest-fire-times.ts";
import { formatIsoWeek, lastCompleteWeek } from "../../src/domain/week.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { ADMIN, type AppHarness, openedAdminRefusal, startApp } from "../support/app-harness.ts";
import { expectWithinSlackLimits } from "../support/block-kit-limits.ts";
import { uniqueId } from "../support/database.ts";
import {
  blockAction,
  checkboxes,
  conversationSelect,
  staticSelect,
  textInput,
  timePicker,
  viewSubmission,
} from "../support/slack-requests.ts";

const NOBODY = "U0NOBODY02";

describe("digest schedules on App Home", () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp();
    await h.deps.db.prisma.workspace.update({
      where: { id: h.teamId },
      data: { timezone: "Europe/Berlin" },
    });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.deps.db.prisma.digestSchedule.deleteMany({ where: { workspaceId: h.teamId } });
    h.fake.reset();
  });

  const submit = (
    fields: {
      channel?: string | null;
      weekday?: string;
      time?: string;
      cron?: string | null;
      timezone?: string | null;
      enabled?: boolean;
    },
    options: { userId?: string; scheduleId?: string } = {},
  ) =>
    h.send(
      viewSubmission({
        callbackId: VIEWS.schedule,
        userId: options.userId ?? ADMIN,
        teamId: h.teamId,
        privateMetadata: options.scheduleId ?? "",
        values: {
          [INPUTS.digestChannel]: {
            [INPUTS.digestChannel]: conversationSelect(
              fields.channel === undefined ? uniqueId("C") : fields.channel,
            ),
          },
          [INPUTS.weekday]: { [INPUTS.weekday]: staticSelect(fields.weekday ?? "1") },
          [INPUTS.time]: { [INPUTS.time]: timePicker(fields.time ?? "09:00") },
          [INPUTS.cron]: { [INPUTS.cron]: textInput(fields.cron ?? null) },
          [INPUTS.timezone]: { [INPUTS.timezone]: textInput(fields.timezone ?? null) },
          [INPUTS.enabled]: {
            [INPUTS.enabled]: checkboxes(fields.enabled === false ? [] : ["enabled"]),
          },
        },
      }),
    );

  const click = (actionId: string, value?: string, userId = ADMIN) =>
    h.send(
      blockAction({
        actionId,
        value,
        userId,
        teamId: h.teamId,
        container: "view",
        viewType: "home",
      }),
    );

  const schedules = () =>
    h.deps.db.prisma.digestSchedule.findMany({ where: { workspaceId: h.teamId } });

  it("opens the schedule modal for admins, within Slack's limits", async () => {
    await click(ACTIONS.scheduleAdd);
    const opened = await h.fake.waitFor("views.open");
    const view = opened.params.view as { callback_id: string };
    expect(view.callback_id).toBe(VIEWS.schedule);
    expect(JSON.stringify(view)).toContain("Europe/Berlin");
    expectWithinSlackLimits(view as never);
  });

  it("saves a schedule, joins its channel and shows it on App Home", async () => {
    const channel = uniqueId("C");
    h.fake.setChannel(channel, { is_member: false });
    const response = await submit({ channel, weekday: "2", time: "08:30" });
    expect(response.status).toBe(200);
    expect(response.json).toBeUndefined();
    expect(await schedules()).toMatchObject([
      { channelId: channel, weekday: 2, time: "08:30", cron: null, timezone: null, enabled: true },
    ]);
    await h.fake.waitFor("conversations.join", (c) => c.params.channel === channel);
    const published = await h.fake.waitFor("views.publish");
    const home = JSON.stringify(published.params.view);
    expect(home).toContain(`<#${channel}>`);
    expect(home).toContain("Tuesdays at 08:30 (Europe/Berlin)");
    expect(home).toContain(ACTIONS.scheduleSendNow);
    expectWithinSlackLimits(published.params.view as never);
    const audit = await h.deps.db.prisma.auditEntry.findMany({
      where: { workspaceId: h.teamId, action: "schedule.created" },
    });
    expect(audit).toHaveLength(1);
  });

  it("shows problems inline: a bad cron expression, an unknown zone, a channel that has a schedule", async () => {
    const channel = uniqueId("C");
    const bad = await submit({ channel, cron: "0 9 * *", timezone: "Mars/Olympus" });
    expect(bad.json).toMatchObject({
      response_action: "errors",
      errors: {
        [INPUTS.cron]: expect.stringMatching(/five fields/),
        [INPUTS.timezone]: expect.stringMatching(/not a known time zone/),
      },
    });
    const missing = await submit({ channel: null, time: "25:00" });
    expect(missing.json).toMatchObject({
      response_action: "errors",
      errors: { [INPUTS.digestChannel]: expect.any(String), [INPUTS.time]: "Pick a time." },
    });
    expect(await schedules()).toEqual([]);

    await submit({ channel });
    const twice = await submit({ channel });
    expect(twice.json).toMatchObject({
      response_action: "errors",
      errors: { [INPUTS.digestChannel]: expect.stringMatching(/already has a digest schedule/) },
    });
    expect(await schedules()).toHaveLength(1);
  });

  it("edits a schedule in place, to a cron expression in another zone", async () => {
    await submit({});
    const [created] = await schedules();
    await submit(
      { channel: created?.channelId, cron: "30  7 * * 1-5", timezone: "America/New_York" },
      { scheduleId: created?.id },
    );
    expect(await schedules()).toMatchObject([
      { id: created?.id, cron: "30 7 * * 1-5", timezone: "America/New_York" },
    ]);
  });

  it("refuses every schedule action to a non-admin, on the server", async () => {
    const refused = await submit({}, { userId: NOBODY });
    expect(JSON.stringify(refused.json)).toContain("Only Leadfit admins");
    expect(await schedules()).toEqual([]);

    await submit({});
    const [schedule] = await schedules();
    await click(ACTIONS.scheduleDelete, schedule?.id, NOBODY);
    await click(ACTIONS.scheduleSendNow, schedule?.id, NOBODY);
    await openedAdminRefusal(h);
    expect(await schedules()).toHaveLength(1);
    expect(h.fake.calls("chat.postMessage")).toHaveLength(0);
  });

  it("skips the next digest's week, and posts it after all on a second click", async () => {
    await submit({});
    const [schedule] = await schedules();
    const next = nextFire("0 9 * * 1", "Europe/Berlin", new Date());
    const week = formatIsoWeek(lastCompleteWeek(next ?? new Date(), "Europe/Berlin"));
    await click(ACTIONS.scheduleSkip, schedule?.id);
    await h.fake.waitFor("views.publish", (c) =>
      JSON.stringify(c.params.view).includes(`Post ${week} after all`),
    );
    expect((await schedules())[0]?.skipWeek).toBe(week);
    h.fake.reset();
    await click(ACTIONS.scheduleSkip, schedule?.id);
    await h.fake.waitFor("views.publish", (c) =>
      JSON.stringify(c.params.view).includes(`Skip ${week}`),
    );
    expect((await schedules())[0]?.skipWeek).toBeNull();
  });

  it("sends the digest now without claiming the scheduled run, and previews it in a modal", async () => {
    await submit({});
    const [schedule] = await schedules();
    await click(ACTIONS.scheduleSendNow, schedule?.id);
    const done = await h.fake.waitFor("views.update", (c) =>
      JSON.stringify(c.params.view).includes("Digest sent"),
    );
    expect(JSON.stringify(done.params.view)).toContain(`<#${schedule?.channelId}>`);
    expect(h.fake.messages(schedule?.channelId ?? "")).toHaveLength(1);
    expect(await h.deps.db.prisma.digestRun.count({ where: { scheduleId: schedule?.id } })).toBe(0);

    await click(ACTIONS.schedulePreview, schedule?.id);
    const preview = await h.fake.waitFor("views.update", (c) =>
      JSON.stringify(c.params.view).includes("Weekly digest"),
    );
    const view = preview.params.view as { blocks: { type: string }[] };
    expect(view.blocks.some((b) => b.type === "actions")).toBe(false);
    expectWithinSlackLimits(view as never);
  });

  it("shows failed runs to admins, lets them retry, and deletes a schedule", async () => {
    await submit({});
    const [schedule] = await schedules();
    const run = await h.deps.db.prisma.digestRun.create({
      data: {
        scheduleId: schedule?.id ?? "",
        week: "2026-W40",
        status: "failed",
        attempts: 1,
        error: "Slack answered not_in_channel",
      },
    });
    await click(ACTIONS.scheduleEdit, schedule?.id);
    const edit = await h.fake.waitFor("views.open");
    expect((edit.params.view as { private_metadata: string }).private_metadata).toBe(schedule?.id);

    h.fake.reset();
    await click(ACTIONS.digestRunRetry, run.id);
    const home = await h.fake.waitFor("views.publish", (c) =>
      JSON.stringify(c.params.view).includes("tried again"),
    );
    expect(JSON.stringify(home.params.view)).toContain("2026-W40: Slack answered not_in_channel");
    const retried = await h.deps.db.prisma.digestRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(retried.retryAt).not.toBeNull();

    await click(ACTIONS.scheduleDelete, schedule?.id);
    await h.fake.waitFor("views.publish", (c) =>
      JSON.stringify(c.params.view).includes("No digest channel yet"),
    );
    expect(await schedules()).toEqual([]);
    expect(await h.deps.db.prisma.digestRun.count({ where: { id: run.id } })).toBe(0);
  });
});
