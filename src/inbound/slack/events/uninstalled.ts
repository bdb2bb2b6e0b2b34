import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import type { Deps } from "../../../deps.ts";
import { uninstallWorkspace } from "../../../services/uninstall-workspace.ts";

type Args<Event extends "app_uninstalled" | "tokens_revoked"> = SlackEventMiddlewareArgs<Event> &
  AllMiddlewareArgs;

const revokedTokens = z.object({
  tokens: z.object({ oauth: z.array(z.string()).optional(), bot: z.array(z.string()).optional() }),
});

function uninstall(
  deps: Deps,
  body: { team_id: string; enterprise_id?: string | undefined },
  event: string,
): Promise<void> {
  return uninstallWorkspace(deps, {
    teamId: body.team_id,
    enterpriseId: body.enterprise_id,
    event,
  });
}

export function appUninstalled(deps: Deps) {
  return ({ body }: Args<"app_uninstalled">): Promise<void> =>
    uninstall(deps, body, body.event.type);
}

/**
 * tokens_revoked names user tokens (someone who authorized the app with their own account) and
 * bot tokens: only the bot token going means the app left the workspace.
 */
export function tokensRevoked(deps: Deps) {
  return async ({ body }: Args<"tokens_revoked">): Promise<void> => {
    const parsed = revokedTokens.safeParse(body.event);
    const botTokens = parsed.success ? (parsed.data.tokens.bot ?? []) : [];
    if (botTokens.length > 0) return uninstall(deps, body, body.event.type);
    deps.log.info("user tokens revoked; the workspace stays installed", {
      teamId: body.team_id,
      event: body.event.type,
      users: parsed.success ? (parsed.data.tokens.oauth ?? []).length : 0,
    });
  };
}
