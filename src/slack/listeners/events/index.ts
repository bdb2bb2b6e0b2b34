import type { App } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { appHomeOpened } from "./app-home-opened.ts";
import { workspaceUninstalled } from "./uninstalled.ts";

export function registerEvents(app: App, deps: Deps): void {
  app.event("app_home_opened", appHomeOpened(deps));
  app.event("app_uninstalled", workspaceUninstalled(deps));
  app.event("tokens_revoked", workspaceUninstalled(deps));
}
