import type { Deps } from "../../../deps.ts";
import { isAppError } from "../../../domain/app-error.ts";
import { INPUTS } from "../../../presentation/slack/ids.ts";
import { createApiKeyInSlack } from "../../../services/api-keys.ts";
import { addCampaignAlias } from "../../../services/campaign-aliases.ts";
import { configureWebhook } from "../../../services/configure-webhook.ts";
import { errorNotice, userMessageOf } from "../../../services/error-notice.ts";
import { requireAdmin } from "../../../services/require-admin.ts";
import type { ViewSubmitArgs } from "../listener-args.ts";
import { parseApiKeyForm, parseCampaignAliasForm, parseWebhookForm } from "../parse/view-state.ts";
import { refreshHome } from "../refresh-home.ts";
import { reportError } from "../report-error.ts";
import { interactionWorkspace } from "../workspace-of-request.ts";

async function republishHome(deps: Deps, args: ViewSubmitArgs): Promise<void> {
  const workspace = await interactionWorkspace(deps, args.body);
  await refreshHome(
    deps,
    args.gateway,
    { workspaceId: workspace.id, viewerId: args.body.user.id },
    "republish home",
  );
}

/** A new API key, shown once in the modal that replaces the form. */
export function apiKeySubmission(deps: Deps) {
  return async (args: ViewSubmitArgs): Promise<void> => {
    const label = parseApiKeyForm(args.view.state.values);
    if (!label)
      return args.ack({
        response_action: "errors",
        errors: { [INPUTS.apiKeyLabel]: "Give the key a name." },
      });
    const workspace = await interactionWorkspace(deps, args.body);
    try {
      const created = await createApiKeyInSlack(deps, {
        workspace,
        userId: args.body.user.id,
        label,
      });
      await args.ack({ response_action: "update", view: created });
    } catch (error) {
      await reportError(deps, error, "create an API key");
      return args.ack({
        response_action: "update",
        view: errorNotice({
          title: "Leadfit",
          error,
          unexpected: "The key could not be created; it has been logged.",
        }),
      });
    }
    await republishHome(deps, args);
  };
}

/** Sets or clears the webhook; a new URL's signing secret is shown once. */
export function webhookSubmission(deps: Deps) {
  return async (args: ViewSubmitArgs): Promise<void> => {
    const url = parseWebhookForm(args.view.state.values);
    const workspace = await interactionWorkspace(deps, args.body);
    try {
      const saved = await configureWebhook(deps, {
        workspace,
        userId: args.body.user.id,
        url,
      });
      await args.ack(saved ? { response_action: "update", view: saved } : undefined);
    } catch (error) {
      await reportError(deps, error, "configure the webhook");
      return args.ack({
        response_action: "errors",
        errors: {
          [INPUTS.webhookUrl]: userMessageOf({
            error,
            unexpected: "The webhook could not be saved; it has been logged.",
          }),
        },
      });
    }
    await republishHome(deps, args);
  };
}

/** A campaign alias added; what the service refuses is said beside the field it is about. */
export function campaignAliasSubmission(deps: Deps) {
  return async (args: ViewSubmitArgs): Promise<void> => {
    const form = parseCampaignAliasForm(args.view.state.values);
    const workspace = await interactionWorkspace(deps, args.body);
    try {
      await requireAdmin(deps, { workspace, userId: args.body.user.id });
      await addCampaignAlias(deps, {
        workspaceId: workspace.id,
        ...form,
        actor: args.body.user.id,
        newCampaign: "refuse",
      });
      await args.ack();
    } catch (error) {
      await reportError(deps, error, "add a campaign alias");
      const field = isAppError(error) ? error.issues[0]?.field : undefined;
      return args.ack({
        response_action: "errors",
        errors: {
          [field === "campaignKey" ? INPUTS.aliasCampaignKey : INPUTS.aliasName]: userMessageOf({
            error,
            unexpected: "The alias could not be saved; it has been logged.",
          }),
        },
      });
    }
    await republishHome(deps, args);
  };
}
