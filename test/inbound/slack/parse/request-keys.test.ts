import { describe, expect, it } from "vitest";
import {
  actionRequestKey,
  eventRequestKey,
  triggerRequestKey,
  viewRequestKey,
} from "../../../../src/inbound/slack/parse/request-keys.ts";

describe("security #7: Slack's own key for each request", () => {
  const click = {
    user: { id: "U0REP00001" },
    container: { type: "message", message_ts: "1700000000.000100", channel_id: "C0SALES001" },
  };
  const action = { action_id: "verdict_fit", action_ts: "1700000001.000200" };

  it("gives a click sent again the same key, and any other click another", () => {
    const key = actionRequestKey(click, action);
    expect(actionRequestKey(structuredClone(click), { ...action })).toBe(key);
    const others = [
      actionRequestKey(click, { ...action, action_ts: "1700000001.000201" }),
      actionRequestKey({ ...click, user: { id: "U0REP00002" } }, action),
      actionRequestKey(click, { ...action, action_id: "verdict_not_yet" }),
      actionRequestKey({ ...click, container: { ...click.container, message_ts: "1.2" } }, action),
      actionRequestKey({ ...click, container: { type: "view", view_id: "V0HOME" } }, action),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it("keys a submission by its view and the view's version", () => {
    const key = viewRequestKey({ id: "V0MODAL01", hash: "1700000000.aBc", callback_id: "x" });
    expect(viewRequestKey({ id: "V0MODAL01", hash: "1700000000.aBc" })).toBe(key);
    expect(viewRequestKey({ id: "V0MODAL01", hash: "1700000099.dEf" })).not.toBe(key);
    expect(viewRequestKey({ id: "V0MODAL02", hash: "1700000000.aBc" })).not.toBe(key);
  });

  it("keeps the kinds of key apart: a trigger id and an event id never meet a view's", () => {
    expect(triggerRequestKey("1700.1.abc")).toBe("trigger:1700.1.abc");
    expect(eventRequestKey({ event_id: "Ev0123", team_id: "T1" })).toBe("event:Ev0123");
  });

  it("refuses a request without the parts of its key rather than giving it an empty one", () => {
    expect(() => actionRequestKey(click, { action_id: "verdict_fit" })).toThrow();
    expect(() => viewRequestKey({ id: "V0MODAL01" })).toThrow();
    expect(() => triggerRequestKey("")).toThrow();
    expect(() => eventRequestKey({})).toThrow();
  });
});
