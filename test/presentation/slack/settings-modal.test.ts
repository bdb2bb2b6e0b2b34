import type {
  Checkboxes,
  ConversationsSelect,
  InputBlock,
  KnownBlock,
  MultiStaticSelect,
  MultiUsersSelect,
  NumberInput,
  PlainTextInput,
  StaticSelect,
} from "@slack/types";
import { describe, expect, it } from "vitest";
import { DEFAULT_METRICS, MAX_KPIS } from "../../../src/domain/metrics.ts";
import { MAX_ADMINS } from "../../../src/domain/workspace.ts";
import { INPUTS, VIEWS } from "../../../src/presentation/slack/ids.ts";
import { settingsModal } from "../../../src/presentation/slack/settings-modal.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import { HUGE, makeMetrics, makeWorkspace } from "./fixtures.ts";

function inputs(blocks: KnownBlock[] | unknown[]): InputBlock[] {
  return (blocks as KnownBlock[]).filter((b): b is InputBlock => b.type === "input");
}

function input(blocks: KnownBlock[] | unknown[], id: string): InputBlock {
  const block = inputs(blocks).find((b) => b.block_id === id);
  if (!block) throw new Error(`no input ${id}`);
  return block;
}

function element<T>(blocks: KnownBlock[] | unknown[], id: string): T {
  return input(blocks, id).element as T;
}

const base = {
  workspace: makeWorkspace(),
  metrics: [...DEFAULT_METRICS],
  timezoneSuggestion: "America/New_York",
};

describe("settingsModal", () => {
  const view = settingsModal(base);

  it("is the settings view", () => {
    expect(view).toMatchObject({
      type: "modal",
      callback_id: VIEWS.settings,
      title: { text: "Leadfit settings" },
      submit: { text: "Save" },
    });
    expectWithinSlackLimits(view);
  });

  it("has one input per setting, block id = action id = its INPUTS id", () => {
    const settings = [
      INPUTS.timezone,
      INPUTS.currency,
      INPUTS.salesChannel,
      INPUTS.marketingChannel,
      INPUTS.salesTeam,
      INPUTS.marketingTeam,
      INPUTS.northStar,
      INPUTS.northStarTarget,
      INPUTS.kpis,
      INPUTS.kpiTargets,
      INPUTS.reviewSlaHours,
      INPUTS.needsContextThreshold,
      INPUTS.conversionWindowDays,
      INPUTS.hindsightPerRep,
      INPUTS.admins,
    ];
    expect(
      inputs(view.blocks)
        .map((b) => b.block_id)
        .sort(),
    ).toEqual([...settings].sort());
    for (const block of inputs(view.blocks)) expect(block.element.action_id).toBe(block.block_id);
  });

  it("prefills the basics", () => {
    expect(element<PlainTextInput>(view.blocks, INPUTS.timezone).initial_value).toBe(
      "Europe/Berlin",
    );
    expect(input(view.blocks, INPUTS.timezone).hint?.text).toContain(
      "IANA name, e.g. Europe/Berlin",
    );
    expect(element<PlainTextInput>(view.blocks, INPUTS.currency)).toMatchObject({
      initial_value: "EUR",
      min_length: 3,
      max_length: 3,
    });
    expect(element<NumberInput>(view.blocks, INPUTS.reviewSlaHours)).toMatchObject({
      type: "number_input",
      is_decimal_allowed: false,
      min_value: "1",
      max_value: "720",
      initial_value: "48",
    });
    expect(element<NumberInput>(view.blocks, INPUTS.conversionWindowDays)).toMatchObject({
      is_decimal_allowed: false,
      min_value: "1",
      max_value: "730",
      initial_value: "180",
    });
    // Per-rep hindsight is off until an admin turns it on.
    expect(
      element<Checkboxes>(view.blocks, INPUTS.hindsightPerRep).initial_options,
    ).toBeUndefined();
    expect(input(view.blocks, INPUTS.hindsightPerRep).optional).toBe(true);
    expect(element<NumberInput>(view.blocks, INPUTS.needsContextThreshold)).toMatchObject({
      is_decimal_allowed: false,
      min_value: "1",
      max_value: "500",
      initial_value: "25",
    });
  });

  it("suggests a timezone when none is set, else UTC", () => {
    const unset = makeWorkspace({ timezone: null });
    const suggested = settingsModal({ ...base, workspace: unset });
    expect(element<PlainTextInput>(suggested.blocks, INPUTS.timezone).initial_value).toBe(
      "America/New_York",
    );
    const none = settingsModal({ ...base, workspace: unset, timezoneSuggestion: null });
    expect(element<PlainTextInput>(none.blocks, INPUTS.timezone).initial_value).toBe("UTC");
  });

  it("picks channels among public and private conversations", () => {
    const sales = element<ConversationsSelect>(view.blocks, INPUTS.salesChannel);
    expect(sales).toMatchObject({
      type: "conversations_select",
      initial_conversation: "C_SALES",
      filter: { include: ["public", "private"], exclude_bot_users: true },
    });
    expect(input(view.blocks, INPUTS.salesChannel).optional).toBe(true);
    const marketing = element<ConversationsSelect>(view.blocks, INPUTS.marketingChannel);
    expect(marketing.initial_conversation).toBeUndefined();
  });

  it("picks the teams and admins among users", () => {
    expect(element<MultiUsersSelect>(view.blocks, INPUTS.salesTeam)).toMatchObject({
      type: "multi_users_select",
      initial_users: ["U1", "U2"],
    });
    expect(element<MultiUsersSelect>(view.blocks, INPUTS.marketingTeam).initial_users).toEqual([
      "U3",
    ]);
    expect(element<MultiUsersSelect>(view.blocks, INPUTS.admins).initial_users).toEqual(["U9"]);
    const empty = settingsModal({ ...base, workspace: makeWorkspace({ admins: [] }) });
    expect(element<MultiUsersSelect>(empty.blocks, INPUTS.admins).initial_users).toBeUndefined();
  });

  it("security #10e: lets no more than MAX_ADMINS extra admins be picked", () => {
    const view = settingsModal(base);
    expect(element<MultiUsersSelect>(view.blocks, INPUTS.admins).max_selected_items).toBe(
      MAX_ADMINS,
    );
  });

  it("offers metrics for the North Star and KPIs, preselecting the current ones", () => {
    const northStar = element<StaticSelect>(view.blocks, INPUTS.northStar);
    expect(northStar.options?.[0]).toEqual({
      text: { type: "plain_text", text: "Impressions (awareness)", emoji: true },
      value: "impressions",
    });
    expect(northStar.initial_option?.value).toBe("sqls");
    expect(element<NumberInput>(view.blocks, INPUTS.northStarTarget)).toMatchObject({
      is_decimal_allowed: true,
      initial_value: "25",
    });
    const kpis = element<MultiStaticSelect>(view.blocks, INPUTS.kpis);
    expect(kpis.max_selected_items).toBe(MAX_KPIS);
    expect(kpis.initial_options?.map((o) => o.value)).toEqual(["leads", "pipeline", "nps"]);
    expect(element<PlainTextInput>(view.blocks, INPUTS.kpiTargets)).toMatchObject({
      multiline: true,
      initial_value: "leads = 40\nnps = 45.5",
    });
    for (const id of [INPUTS.northStar, INPUTS.northStarTarget, INPUTS.kpis, INPUTS.kpiTargets]) {
      expect(input(view.blocks, id).optional).toBe(true);
    }
  });

  it("leaves the North Star empty when none is set", () => {
    const none = settingsModal({
      ...base,
      workspace: makeWorkspace({ northStar: null, kpis: [] }),
    });
    expect(element<StaticSelect>(none.blocks, INPUTS.northStar).initial_option).toBeUndefined();
    expect(element<NumberInput>(none.blocks, INPUTS.northStarTarget).initial_value).toBeUndefined();
    expect(element<MultiStaticSelect>(none.blocks, INPUTS.kpis).initial_options).toBeUndefined();
    expect(element<PlainTextInput>(none.blocks, INPUTS.kpiTargets).initial_value).toBeUndefined();
    expectWithinSlackLimits(none);
  });

  it("keeps 120 metrics within 100 options, the selected ones included", () => {
    const metrics = makeMetrics(120, true);
    const workspace = makeWorkspace({
      northStar: { metricKey: "metric_119", weeklyTarget: 1.5 },
      kpis: [
        { metricKey: "metric_110", weeklyTarget: 10 },
        { metricKey: "metric_115", weeklyTarget: null },
      ],
      salesTeam: Array.from({ length: 300 }, (_, i) => `U${i}`),
      reviewSlaHours: 5000,
      needsContextThresholdPct: 0,
      currency: "EURO",
      timezone: HUGE,
    });
    const extreme = settingsModal({ workspace, metrics, timezoneSuggestion: null });
    expectWithinSlackLimits(extreme);
    const northStar = element<StaticSelect>(extreme.blocks, INPUTS.northStar);
    expect(northStar.options).toHaveLength(100);
    expect(northStar.initial_option?.value).toBe("metric_119");
    const kpis = element<MultiStaticSelect>(extreme.blocks, INPUTS.kpis);
    expect(kpis.initial_options?.map((o) => o.value)).toEqual(["metric_110", "metric_115"]);
    expect(element<NumberInput>(extreme.blocks, INPUTS.reviewSlaHours).initial_value).toBe("720");
  });

  it("explains when there is no metric to choose from", () => {
    const none = settingsModal({ ...base, metrics: [] });
    expect(inputs(none.blocks).some((b) => b.block_id === INPUTS.northStar)).toBe(false);
    expect(JSON.stringify(none.blocks)).toContain("No metrics are defined yet");
    expectWithinSlackLimits(none);
  });
});
