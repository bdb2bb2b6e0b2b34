import type { App } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { COMMAND } from "../../../presentation/slack/ids.ts";
import { withGateway } from "../listener-args.ts";
import { leadfitCommand } from "./leadfit-command.ts";

export function registerCommands(app: App, deps: Deps): void {
  app.command(COMMAND, withGateway(leadfitCommand(deps)));
}
