import type { App } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { COMMAND } from "../../../presentation/slack/ids.ts";
import { leadfitCommand } from "./leadfit-command.ts";

export function registerCommands(app: App, deps: Deps): void {
  app.command(COMMAND, leadfitCommand(deps));
}
