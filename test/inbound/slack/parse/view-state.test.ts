import { describe, expect, it } from "vitest";
import { inlineErrors } from "../../../../src/inbound/slack/parse/view-state.ts";

describe("inline errors from a service's problems", () => {
  const blockOf = { channel: "digest_channel_block", cron: "cron_block", timezone: "tz_block" };

  it("puts each problem under its field's block and leaves the other fields without one", () => {
    expect(inlineErrors({ cron: "Not a schedule.", timezone: "Unknown zone." }, blockOf)).toEqual({
      cron_block: "Not a schedule.",
      tz_block: "Unknown zone.",
    });
  });

  it("shows no error for a field whose problem is empty or absent", () => {
    expect(inlineErrors({ channel: "", cron: undefined }, blockOf)).toEqual({});
  });
});
