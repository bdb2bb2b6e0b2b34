import type { App } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { ACTIONS } from "../../../presentation/slack/ids.ts";
import { leadPickerOptions } from "./lead-picker.ts";

export function registerOptions(app: App, deps: Deps): void {
  app.options({ type: "block_suggestion", action_id: ACTIONS.leadPicker }, leadPickerOptions(deps));
}
