import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Deps } from "../../../deps.ts";
import { ACTIONS } from "../../ids.ts";
import { configureWebhookButton, createApiKeyButton, revokeApiKeyButton } from "./admin-actions.ts";
import {
  decideDefinitionButton,
  definitionHistoryButton,
  proposeDefinitionButton,
} from "./definition-actions.ts";
import { moreLeadsButton, openSettingsButton } from "./home-actions.ts";
import { oneClickVerdict } from "./one-click-verdict.ts";
import { openVerdictModal } from "./open-verdict-modal.ts";

export function registerActions(app: App, deps: Deps): void {
  const button = (id: string) => ({ type: "block_actions" as const, action_id: id });
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.verdictFit), oneClickVerdict(deps, "fit"));
  app.action<BlockAction<ButtonAction>>(
    button(ACTIONS.verdictNotYet),
    oneClickVerdict(deps, "not_yet"),
  );
  app.action<BlockAction<ButtonAction>>(
    button(ACTIONS.verdictNotFit),
    openVerdictModal(deps, "not_fit"),
  );
  app.action<BlockAction<ButtonAction>>(
    button(ACTIONS.verdictChange),
    openVerdictModal(deps, undefined),
  );
  app.action<BlockAction<ButtonAction>>(
    button(ACTIONS.definitionPropose),
    proposeDefinitionButton(deps),
  );
  app.action<BlockAction<ButtonAction>>(
    button(ACTIONS.definitionHistory),
    definitionHistoryButton(deps),
  );
  app.action<BlockAction<ButtonAction>>(
    button(ACTIONS.definitionAccept),
    decideDefinitionButton(deps, true),
  );
  app.action<BlockAction<ButtonAction>>(
    button(ACTIONS.definitionDecline),
    decideDefinitionButton(deps, false),
  );
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.homeMoreLeads), moreLeadsButton(deps));
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.homeOpenSettings), openSettingsButton(deps));
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.homeCreateApiKey), createApiKeyButton(deps));
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.homeRevokeApiKey), revokeApiKeyButton(deps));
  app.action<BlockAction<ButtonAction>>(
    button(ACTIONS.homeConfigureWebhook),
    configureWebhookButton(deps),
  );
}
