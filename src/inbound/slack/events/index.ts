import type { App } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { withGateway } from "../listener-args.ts";
import { appHomeOpened } from "./app-home-opened.ts";
import { appUninstalled, tokensRevoked } from "./uninstalled.ts";

export function registerEvents(app: App, deps: Deps): void {
  app.event("app_home_opened", withGateway(appHomeOpened(deps)));
  app.event("app_uninstalled", appUninstalled(deps));
  app.event("tokens_revoked", tokensRevoked(deps));
}
