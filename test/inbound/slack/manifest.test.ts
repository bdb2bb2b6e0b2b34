import { readFile } from "node:fs/promises";
import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import type { Deps } from "../../../src/deps.ts";
import { buttonHandlers } from "../../../src/inbound/slack/actions/index.ts";
import { registerListeners } from "../../../src/inbound/slack/index.ts";
import { BOT_SCOPES } from "../../../src/outbound/slack/gateway.ts";
import { ACTIONS, COMMAND, EVENTS, SHORTCUTS } from "../../../src/presentation/slack/ids.ts";

const manifestSchema = z.object({
  features: z.object({
    app_home: z.object({ home_tab_enabled: z.literal(true) }),
    bot_user: z.object({ display_name: z.string() }),
    slash_commands: z.array(
      z.object({ command: z.string(), usage_hint: z.string(), description: z.string() }),
    ),
    shortcuts: z.array(z.object({ callback_id: z.string(), type: z.enum(["message", "global"]) })),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true) }),
    socket_mode_enabled: z.literal(true),
  }),
});

/** What registerListeners asks Bolt to listen to, recorded by a stand-in for the App. */
function registered() {
  const seen = {
    commands: [] as string[],
    events: [] as string[],
    shortcuts: [] as unknown[],
    actions: [] as unknown[],
    views: [] as unknown[],
    options: [] as unknown[],
  };
  const app = {
    command: (name: string) => seen.commands.push(name),
    event: (name: string) => seen.events.push(name),
    shortcut: (constraints: unknown) => seen.shortcuts.push(constraints),
    action: (constraints: unknown) => seen.actions.push(constraints),
    view: (constraints: unknown) => seen.views.push(constraints),
    options: (constraints: unknown) => seen.options.push(constraints),
  };
  registerListeners(app as unknown as App, {} as Deps);
  return seen;
}

describe("manifest.yml", async () => {
  const manifest = manifestSchema.parse(
    parse(await readFile(new URL("../../../manifest.yml", import.meta.url), "utf8")),
  );
  const app = registered();

  it("declares exactly the slash command the app handles, with a usage hint", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
    expect(app.commands).toEqual([COMMAND]);
  });

  it("declares exactly the shortcuts the app handles", () => {
    expect(manifest.features.shortcuts.map((s) => s.callback_id)).toEqual(Object.values(SHORTCUTS));
    expect(app.shortcuts).toEqual([
      { type: "message_action", callback_id: SHORTCUTS.addContextNote },
    ]);
  });

  it("subscribes to exactly the events the app listens to", () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      [...EVENTS].sort(),
    );
    expect([...app.events].sort()).toEqual([...EVENTS].sort());
  });

  it("answers every button the blocks can show", () => {
    expect(app.actions).toEqual([{ type: "block_actions" }]);
    const answered = [...buttonHandlers({} as Deps).keys()].sort();
    expect(answered).toEqual(
      Object.values(ACTIONS)
        .filter((id) => id !== ACTIONS.leadPicker)
        .sort(),
    );
    expect(app.options).toEqual([{ type: "block_suggestion", action_id: ACTIONS.leadPicker }]);
  });

  it("asks for the smallest set of bot scopes covering every call the app makes", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES]);
  });
});
