import type { InputBlock, KnownBlock, PlainTextInput, StaticSelect } from "@slack/types";
import { describe, expect, it } from "vitest";
import { DEFAULT_METRICS } from "../../../src/domain/metrics.ts";
import {
  contextNoteModal,
  contextNoteSaved,
} from "../../../src/presentation/slack/context-note.ts";
import { INPUTS, VIEWS } from "../../../src/presentation/slack/ids.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import { EVIL, HUGE, makeMetrics, NOW } from "./fixtures.ts";

function inputBlock(blocks: KnownBlock[] | unknown[], id: string): InputBlock | undefined {
  return (blocks as KnownBlock[]).find(
    (b): b is InputBlock => b.type === "input" && b.block_id === id,
  );
}

function element<T>(blocks: KnownBlock[] | unknown[], id: string): T {
  const block = inputBlock(blocks, id);
  if (!block) throw new Error(`no input ${id}`);
  return block.element as T;
}

const weeks = [
  { value: "2026-W47", label: "2026-W47 (Nov 16–22)" },
  { value: "2026-W46", label: "2026-W46 (Nov 9–15)" },
];
const base = {
  weeks,
  initialWeek: "2026-W47",
  campaigns: [
    { key: "q4-webinar", name: "Q4 webinar" },
    { key: "brand-video", name: "Brand video" },
  ],
  metrics: [...DEFAULT_METRICS],
  text: "Webinar moved to Thursday",
  privateMetadata: JSON.stringify({ channel: "C1" }),
};

describe("contextNoteModal", () => {
  const view = contextNoteModal(base);

  it("is the context note view", () => {
    expect(view).toMatchObject({
      type: "modal",
      callback_id: VIEWS.contextNote,
      title: { text: "Add context" },
      submit: { text: "Save" },
      private_metadata: base.privateMetadata,
    });
    expectWithinSlackLimits(view);
  });

  it("asks for the week, preselecting the given one", () => {
    const week = inputBlock(view.blocks, INPUTS.week);
    expect(week?.optional).toBeUndefined();
    const select = element<StaticSelect>(view.blocks, INPUTS.week);
    expect(select.action_id).toBe(INPUTS.week);
    expect(select.options?.map((o) => o.value)).toEqual(["2026-W47", "2026-W46"]);
    expect(select.initial_option).toEqual(select.options?.[0]);
  });

  it("offers an optional campaign and metric, values being keys", () => {
    const campaign = inputBlock(view.blocks, INPUTS.campaign);
    expect(campaign?.optional).toBe(true);
    expect(element<StaticSelect>(view.blocks, INPUTS.campaign).options).toEqual([
      { text: { type: "plain_text", text: "Q4 webinar", emoji: true }, value: "q4-webinar" },
      { text: { type: "plain_text", text: "Brand video", emoji: true }, value: "brand-video" },
    ]);
    const metric = inputBlock(view.blocks, INPUTS.metric);
    expect(metric?.optional).toBe(true);
    const options = element<StaticSelect>(view.blocks, INPUTS.metric).options ?? [];
    expect(options[0]).toMatchObject({
      text: { text: "Impressions (awareness)" },
      value: "impressions",
    });
    expect(element<StaticSelect>(view.blocks, INPUTS.metric).initial_option).toBeUndefined();
  });

  it("prefills the text", () => {
    const text = element<PlainTextInput>(view.blocks, INPUTS.text);
    expect(text).toMatchObject({
      type: "plain_text_input",
      action_id: INPUTS.text,
      multiline: true,
      max_length: 3000,
      initial_value: "Webinar moved to Thursday",
    });
  });

  it("leaves out empty campaign and metric lists", () => {
    const bare = contextNoteModal({ ...base, campaigns: [], metrics: [], text: "" });
    expect(inputBlock(bare.blocks, INPUTS.campaign)).toBeUndefined();
    expect(inputBlock(bare.blocks, INPUTS.metric)).toBeUndefined();
    expect(element<PlainTextInput>(bare.blocks, INPUTS.text).initial_value).toBe(undefined);
    expectWithinSlackLimits(bare);
  });

  it("keeps every list within 100 options and the text within 3000 characters", () => {
    const extreme = contextNoteModal({
      weeks: Array.from({ length: 150 }, (_, i) => ({ value: `w${i}`, label: HUGE })),
      initialWeek: "w140",
      campaigns: Array.from({ length: 150 }, (_, i) => ({ key: `c${i}`, name: HUGE })),
      metrics: makeMetrics(120, true),
      text: HUGE,
      privateMetadata: "m".repeat(3000),
    });
    expectWithinSlackLimits(extreme);
    const week = element<StaticSelect>(extreme.blocks, INPUTS.week);
    expect(week.options).toHaveLength(100);
    expect(week.initial_option?.value).toBe("w140");
    expect(element<StaticSelect>(extreme.blocks, INPUTS.metric).options).toHaveLength(100);
  });

  it("still offers the initial week when the list is empty", () => {
    const view = contextNoteModal({ ...base, weeks: [] });
    const select = element<StaticSelect>(view.blocks, INPUTS.week);
    expect(select.initial_option?.value).toBe("2026-W47");
    expectWithinSlackLimits(view);
  });
});

describe("contextNoteSaved", () => {
  const note = {
    id: "n1",
    week: "2026-W47",
    text: "Webinar moved to Thursday",
    author: "U1",
    campaignKey: null,
    metricKey: null,
    permalink: null,
    createdAt: NOW,
  };

  it("confirms where the note went", () => {
    expect(contextNoteSaved({ note })).toBe(
      "📝 Context note added to 2026-W47: “Webinar moved to Thursday”",
    );
    expect(
      contextNoteSaved({ note: { ...note, campaignKey: "q4-webinar", metricKey: "clicks" } }),
    ).toBe(
      "📝 Context note added to 2026-W47 (campaign q4-webinar, metric clicks): “Webinar moved to Thursday”",
    );
  });

  it("escapes and shortens a long note", () => {
    const text = contextNoteSaved({ note: { ...note, text: `${EVIL}\n${HUGE}` } });
    expect(text).not.toContain("<script>");
    expect(text.length).toBeLessThan(700);
    expectWithinSlackLimits({
      text,
      blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
    });
  });
});
