import type { HomeView, KnownBlock, ModalView } from "@slack/types";
import { describe, expect, it } from "vitest";
import {
  type BlockKitPayload,
  blockKitProblems,
  expectWithinSlackLimits,
  mrkdwnEscapingProblems,
} from "../../support/block-kit-limits.ts";

const x = (n: number) => "x".repeat(n);
const plainText = (text: string) => ({ type: "plain_text" as const, text });
const md = (text: string) => ({ type: "mrkdwn" as const, text });
const section = (text: string): KnownBlock => ({ type: "section", text: md(text) });
const button = (extra: Record<string, unknown> = {}) => ({
  type: "button",
  action_id: "a",
  text: plainText("Go"),
  ...extra,
});
const option = (text: string, value: string) => ({ text: plainText(text), value });
const options = (n: number) => Array.from({ length: n }, (_, i) => option(`o${i}`, `v${i}`));

function message(blocks: unknown[], text = "fallback"): BlockKitPayload {
  return { text, blocks };
}

function modal(blocks: unknown[], extra: Partial<ModalView> = {}): ModalView {
  return {
    type: "modal",
    callback_id: "cb",
    title: plainText("Title"),
    submit: plainText("Save"),
    blocks: blocks as KnownBlock[],
    ...extra,
  };
}

function home(blocks: unknown[]): HomeView {
  return { type: "home", blocks: blocks as KnownBlock[] };
}

function inputWith(element: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { type: "input", label: plainText("Label"), element, ...extra };
}

function actionsWith(...elements: unknown[]) {
  return { type: "actions", elements };
}

function selectWith(extra: Record<string, unknown>) {
  return inputWith({ type: "static_select", action_id: "s", ...extra });
}

describe("blockKitProblems on good payloads", () => {
  it("finds nothing wrong with payloads that respect every limit", () => {
    const blocks = [
      { type: "header", text: plainText(x(150)) },
      {
        type: "section",
        block_id: x(255),
        text: md(
          `*Hi* <@U1> in <#C1> at <!date^1794994200^{date_short_pretty}|2026-11-18> &amp; <https://example.com|a link>\n> quoted &lt;b&gt;`,
        ),
        fields: Array.from({ length: 10 }, () => md(x(2000))),
        accessory: button({ value: x(2000), style: "primary" }),
      },
      { type: "context", elements: Array.from({ length: 10 }, () => plainText("c")) },
      actionsWith(...Array.from({ length: 25 }, (_, i) => button({ action_id: `a${i}` }))),
      { type: "divider" },
      { type: "image", image_url: "https://example.com/a.png", alt_text: x(2000) },
      ...Array.from({ length: 44 }, () => ({ type: "divider" })),
    ];
    expect(blocks).toHaveLength(50);
    // Every block is within its own limits; only the message's total size is too much.
    expect(blockKitProblems({ text: "hi", blocks })).toEqual([
      expect.stringMatching(/^blocks: \d+ characters of JSON \(budget 12000\)$/),
    ]);
    expectWithinSlackLimits({ text: "hi", blocks: blocks.filter((b) => b.type !== "section") });
    expectWithinSlackLimits({ text: "plain message, no blocks" });

    expectWithinSlackLimits(
      modal(
        [
          selectWith({
            options: options(100),
            initial_option: option("o5", "v5"),
            placeholder: plainText(x(150)),
          }),
          inputWith({
            type: "multi_static_select",
            action_id: "m",
            option_groups: [
              { label: plainText(x(75)), options: options(50) },
              {
                label: plainText("b"),
                options: options(50).map((o) => ({ ...o, value: `w${o.value}` })),
              },
            ],
            initial_options: [option("o1", "v1")],
            max_selected_items: 5,
          }),
          inputWith({ type: "radio_buttons", action_id: "r", options: options(10) }),
          inputWith({
            type: "plain_text_input",
            action_id: "t",
            max_length: 3000,
            initial_value: x(3000),
          }),
          inputWith({
            type: "number_input",
            action_id: "n",
            is_decimal_allowed: false,
            min_value: "1",
            max_value: "720",
            initial_value: "48",
          }),
          ...Array.from({ length: 95 }, () => ({ type: "divider" })),
        ],
        {
          title: plainText(x(24)),
          submit: plainText(x(24)),
          close: plainText(x(24)),
          private_metadata: x(3000),
          callback_id: x(255),
        },
      ),
    );
    expectWithinSlackLimits(home(Array.from({ length: 100 }, () => ({ type: "divider" }))));
  });
});

describe("blockKitProblems finds every broken limit", () => {
  const cases: [string, BlockKitPayload, RegExp][] = [
    [
      "a message without text",
      { blocks: [section("hi")] },
      /^text: a message needs a text fallback/,
    ],
    ["a blank text", message([section("hi")], "  "), /^text: a message needs a text fallback/],
    ["text over 40,000", message([], x(40_001)), /^text: text has 40001 characters \(max 40000\)/],
    [
      "more than 50 blocks in a message",
      message(Array.from({ length: 51 }, () => ({ type: "divider" }))),
      /^blocks: 51 blocks \(max 50\)/,
    ],
    [
      "more than 100 blocks in a modal",
      modal(Array.from({ length: 101 }, () => ({ type: "divider" }))),
      /^blocks: 101 blocks \(max 100\)/,
    ],
    [
      "more than 100 blocks on a home tab",
      home(Array.from({ length: 101 }, () => ({ type: "divider" }))),
      /^blocks: 101 blocks \(max 100\)/,
    ],
    [
      "a message over the size budget",
      message(Array.from({ length: 5 }, () => section(x(2900)))),
      /^blocks: \d+ characters of JSON \(budget 12000\)/,
    ],
    [
      "a long header",
      message([{ type: "header", text: plainText(x(151)) }]),
      /^blocks\[0\]\.text: text has 151 characters \(max 150\)/,
    ],
    [
      "a mrkdwn header",
      message([{ type: "header", text: md("h") }]),
      /^blocks\[0\]\.text: must be plain_text/,
    ],
    [
      "a long section",
      message([section(x(3001))]),
      /^blocks\[0\]\.text: text has 3001 characters \(max 3000\)/,
    ],
    ["an empty section text", message([section("")]), /^blocks\[0\]\.text: text is empty/],
    [
      "a section with neither text nor fields",
      message([{ type: "section" }]),
      /^blocks\[0\]: a section needs text or fields/,
    ],
    [
      "11 fields",
      message([{ type: "section", fields: Array.from({ length: 11 }, () => md("f")) }]),
      /^blocks\[0\]\.fields: 11 fields \(max 10\)/,
    ],
    [
      "a long field",
      message([{ type: "section", fields: [md(x(2001))] }]),
      /^blocks\[0\]\.fields\[0\]: text has 2001 characters \(max 2000\)/,
    ],
    [
      "11 context elements",
      message([{ type: "context", elements: Array.from({ length: 11 }, () => md("c")) }]),
      /^blocks\[0\]\.elements: 11 elements \(max 10\)/,
    ],
    [
      "an empty context",
      message([{ type: "context", elements: [] }]),
      /^blocks\[0\]\.elements: a context needs at least one element/,
    ],
    [
      "26 actions",
      message([
        actionsWith(...Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` }))),
      ]),
      /^blocks\[0\]\.elements: 26 elements \(max 25\)/,
    ],
    [
      "two buttons with one action id in a block",
      message([actionsWith(button(), button())]),
      /^blocks\[0\]\.elements\[1\]\.action_id: duplicate action_id a in one block/,
    ],
    [
      "a long button text",
      message([actionsWith(button({ text: plainText(x(76)) }))]),
      /^blocks\[0\]\.elements\[0\]\.text: text has 76 characters \(max 75\)/,
    ],
    [
      "a mrkdwn button text",
      message([actionsWith(button({ text: md("Go") }))]),
      /^blocks\[0\]\.elements\[0\]\.text: must be plain_text/,
    ],
    [
      "a long button value",
      message([actionsWith(button({ value: x(2001) }))]),
      /^blocks\[0\]\.elements\[0\]\.value: value has 2001 characters \(max 2000\)/,
    ],
    [
      "an unknown button style",
      message([actionsWith(button({ style: "green" }))]),
      /^blocks\[0\]\.elements\[0\]\.style: style is primary or danger/,
    ],
    [
      "a long action id",
      message([actionsWith(button({ action_id: x(256) }))]),
      /^blocks\[0\]\.elements\[0\]\.action_id: action_id has 256 characters \(max 255\)/,
    ],
    [
      "a long block id",
      message([{ type: "divider", block_id: x(256) }]),
      /^blocks\[0\]\.block_id: block_id has 256 characters \(max 255\)/,
    ],
    [
      "a duplicate block id",
      message([
        { type: "divider", block_id: "b" },
        { type: "divider", block_id: "b" },
      ]),
      /^blocks\[1\]\.block_id: duplicate block_id "b"/,
    ],
    [
      "101 select options",
      modal([selectWith({ options: options(101) })]),
      /^blocks\[0\]\.element\.options: 101 options \(max 100\)/,
    ],
    [
      "a long option text",
      modal([selectWith({ options: [option(x(76), "v")] })]),
      /^blocks\[0\]\.element\.options\[0\]\.text: text has 76 characters \(max 75\)/,
    ],
    [
      "a long option value",
      modal([selectWith({ options: [option("o", x(151))] })]),
      /^blocks\[0\]\.element\.options\[0\]\.value: value has 151 characters \(max 150\)/,
    ],
    [
      "an option without a value",
      modal([selectWith({ options: [{ text: plainText("o") }] })]),
      /^blocks\[0\]\.element\.options\[0\]\.value: an option needs a value/,
    ],
    [
      "duplicate option values",
      modal([selectWith({ options: [option("a", "v"), option("b", "v")] })]),
      /^blocks\[0\]\.element: duplicate option values \["v"\]/,
    ],
    [
      "more than 100 options over all groups",
      modal([
        selectWith({
          option_groups: [
            { label: plainText("a"), options: options(60) },
            {
              label: plainText("b"),
              options: options(60).map((o) => ({ ...o, value: `w${o.value}` })),
            },
          ],
        }),
      ]),
      /^blocks\[0\]\.element\.option_groups: 120 options in all \(max 100\)/,
    ],
    [
      "a long option group label",
      modal([selectWith({ option_groups: [{ label: plainText(x(76)), options: options(1) }] })]),
      /^blocks\[0\]\.element\.option_groups\[0\]\.label: text has 76 characters \(max 75\)/,
    ],
    [
      "a select with options and option groups",
      modal([
        selectWith({
          options: options(1),
          option_groups: [{ label: plainText("g"), options: options(1) }],
        }),
      ]),
      /^blocks\[0\]\.element: a static select needs either options or option_groups/,
    ],
    [
      "an initial option that is not an option",
      modal([selectWith({ options: options(3), initial_option: option("o9", "v9") })]),
      /^blocks\[0\]\.element\.initial_option: initial option "v9" is not an option/,
    ],
    [
      "an initial option with other text",
      modal([selectWith({ options: options(3), initial_option: option("other", "v1") })]),
      /^blocks\[0\]\.element\.initial_option: initial option "v1" differs from the option's text/,
    ],
    [
      "11 radio buttons",
      modal([inputWith({ type: "radio_buttons", action_id: "r", options: options(11) })]),
      /^blocks\[0\]\.element\.options: 11 options \(max 10\)/,
    ],
    [
      "a long placeholder",
      modal([selectWith({ options: options(1), placeholder: plainText(x(151)) })]),
      /^blocks\[0\]\.element\.placeholder: text has 151 characters \(max 150\)/,
    ],
    [
      "a text input allowing more than 3000 characters",
      modal([inputWith({ type: "plain_text_input", action_id: "t", max_length: 3001 })]),
      /^blocks\[0\]\.element\.max_length: must be 1–3000/,
    ],
    [
      "an initial value longer than max_length",
      modal([
        inputWith({
          type: "plain_text_input",
          action_id: "t",
          max_length: 10,
          initial_value: x(11),
        }),
      ]),
      /^blocks\[0\]\.element\.initial_value: initial_value has 11 characters \(max 10\)/,
    ],
    [
      "a number input without is_decimal_allowed",
      modal([inputWith({ type: "number_input", action_id: "n" })]),
      /^blocks\[0\]\.element\.is_decimal_allowed: is required/,
    ],
    [
      "a number above its maximum",
      modal([
        inputWith({
          type: "number_input",
          action_id: "n",
          is_decimal_allowed: false,
          max_value: "720",
          initial_value: "721",
        }),
      ]),
      /^blocks\[0\]\.element\.initial_value: 721 is above max_value 720/,
    ],
    [
      "a decimal in an integer input",
      modal([
        inputWith({
          type: "number_input",
          action_id: "n",
          is_decimal_allowed: false,
          initial_value: "1.5",
        }),
      ]),
      /^blocks\[0\]\.element\.initial_value: 1\.5 is not a whole number/,
    ],
    [
      "a long input label",
      modal([
        inputWith({ type: "plain_text_input", action_id: "t" }, { label: plainText(x(2001)) }),
      ]),
      /^blocks\[0\]\.label: text has 2001 characters \(max 2000\)/,
    ],
    [
      "a long modal title",
      modal([], { title: plainText(x(25)) }),
      /^title: text has 25 characters \(max 24\)/,
    ],
    [
      "a long submit",
      modal([], { submit: plainText(x(25)) }),
      /^submit: text has 25 characters \(max 24\)/,
    ],
    [
      "a long close",
      modal([], { close: plainText(x(25)) }),
      /^close: text has 25 characters \(max 24\)/,
    ],
    [
      "inputs without a submit button",
      modal([inputWith({ type: "plain_text_input", action_id: "t" })], { submit: undefined }),
      /^submit: a modal with input blocks needs a submit button/,
    ],
    [
      "long private_metadata",
      modal([], { private_metadata: x(3001) }),
      /^private_metadata: private_metadata has 3001 characters \(max 3000\)/,
    ],
    [
      "a long callback_id",
      modal([], { callback_id: x(256) }),
      /^callback_id: callback_id has 256 characters \(max 255\)/,
    ],
    [
      "an image without alt text",
      message([{ type: "image", image_url: "https://example.com/a.png" }]),
      /^blocks\[0\]\.alt_text: an image needs alt_text/,
    ],
    [
      "an image without a source",
      message([{ type: "image", alt_text: "chart" }]),
      /^blocks\[0\]: an image needs image_url or slack_file/,
    ],
    [
      "a long confirmation title",
      message([
        actionsWith(
          button({
            confirm: {
              title: plainText(x(101)),
              text: md("Sure?"),
              confirm: plainText("Yes"),
              deny: plainText("No"),
            },
          }),
        ),
      ]),
      /^blocks\[0\]\.elements\[0\]\.confirm\.title: text has 101 characters \(max 100\)/,
    ],
    [
      "unescaped markup in mrkdwn",
      message([section("Hi <script>alert(1)</script>")]),
      /^blocks\[0\]\.text: unescaped "<"/,
    ],
    [
      "unescaped markup in the fallback text",
      message([], "New lead: <b>Ana</b>"),
      /^text: unescaped "<"/,
    ],
  ];

  it.each(cases)("finds %s", (_name, payload, expected) => {
    const problems = blockKitProblems(payload);
    expect(
      problems.some((p) => expected.test(p)),
      problems.join("\n"),
    ).toBe(true);
  });

  it("makes expectWithinSlackLimits fail, listing the problems", () => {
    expect(() => expectWithinSlackLimits(message([section(x(3001))]))).toThrow(/3001 characters/);
  });
});

describe("mrkdwnEscapingProblems", () => {
  it("accepts Slack's own syntax and escaped text", () => {
    expect(
      mrkdwnEscapingProblems(
        "<@U1> <#C1> <#C1|sales> <!here> <!date^1794994200^{date_short_pretty} at {time}|2026-11-18T09:30:00Z> <https://a.example/?q=1&amp;r=2|link> <mailto:a@b.example|mail> &amp; &lt; &gt;\n> quote\n>>> long quote",
      ),
    ).toEqual([]);
  });

  it("finds raw <, & and > in user text", () => {
    expect(mrkdwnEscapingProblems("a <b> c")).toEqual([
      'unescaped "<" (write &lt;)',
      'unescaped ">" (write &gt;)',
    ]);
    expect(mrkdwnEscapingProblems("Tom & Jerry")).toEqual(['unescaped "&" (write &amp;)']);
    expect(mrkdwnEscapingProblems("employees >= 50")).toEqual(['unescaped ">" (write &gt;)']);
  });
});
