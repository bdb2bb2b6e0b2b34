import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../domain/app-error.ts";
import type { Workspace } from "../../domain/workspace.ts";
import { workspaceOfTeam } from "../../services/workspace-of-team.ts";

/**
 * Slack workspace ids start with T. An org-wide (Enterprise Grid) install also sees enterprise
 * ids (E…) where a team id usually is; an enterprise is never a workspace.
 */
const workspaceId = z.string().regex(/^T[A-Z0-9]+$/);

export function isWorkspaceId(id: string | null | undefined): id is string {
  return workspaceId.safeParse(id).success;
}

const idField = z.string().nullish().catch(undefined);
const withId = z.object({ id: idField }).nullish().catch(undefined);

const interactionTeams = z.object({
  team: withId,
  user: z.object({ team_id: idField }).nullish().catch(undefined),
  view: z.object({ app_installed_team_id: idField, team_id: idField }).nullish().catch(undefined),
  channel: withId,
  container: z.object({ channel_id: idField }).nullish().catch(undefined),
  enterprise: withId,
});

/**
 * Where an interaction's workspace can be read: a workspace id in the payload, else the channel it
 * happened in (whose team Slack knows), else nowhere.
 */
export type WorkspaceClue =
  | { kind: "workspace"; workspaceId: string }
  | { kind: "channel"; channelId: string; enterpriseId: string | undefined }
  | { kind: "none" };

/**
 * An interaction's (button, modal, shortcut, options) workspace, from the fields in the order
 * Slack makes them reliable: the view's installing team, the team, the user's team, the view's
 * team — each only when it is a workspace id — else the channel's team.
 */
export function interactionWorkspaceClue(payload: unknown): WorkspaceClue {
  const parsed = interactionTeams.safeParse(payload);
  if (!parsed.success) return { kind: "none" };
  const { team, user, view, channel, container, enterprise } = parsed.data;
  const found = [view?.app_installed_team_id, team?.id, user?.team_id, view?.team_id].find(
    isWorkspaceId,
  );
  if (found) return { kind: "workspace", workspaceId: found };
  const channelId = channel?.id ?? container?.channel_id;
  if (channelId) return { kind: "channel", channelId, enterpriseId: enterprise?.id ?? undefined };
  return { kind: "none" };
}

const eventTeams = z.object({
  team_id: idField,
  authorizations: z
    .array(z.object({ team_id: idField }))
    .nullish()
    .catch(undefined),
});

/** An Events API callback's workspace: its authorization's team, else its team, when a workspace id. */
export function eventWorkspaceId(body: unknown): string | undefined {
  const parsed = eventTeams.safeParse(body);
  if (!parsed.success) return undefined;
  return [parsed.data.authorizations?.[0]?.team_id, parsed.data.team_id].find(isWorkspaceId);
}

const WORKSPACE_UNKNOWN =
  "Leadfit could not tell which Slack workspace this came from, so nothing was saved. Please try again from a channel of your workspace.";

function workspaceUnknown(detail: string): AppError {
  return new AppError("slack_workspace_unknown", detail, WORKSPACE_UNKNOWN);
}

/**
 * The workspace a request came from; a workspace Slack knows but we do not yet is created on the
 * spot (how an org-wide install's workspaces appear). An enterprise id is never made a workspace.
 */
export async function workspaceFor(deps: Deps, teamId: string | undefined): Promise<Workspace> {
  if (!isWorkspaceId(teamId)) throw workspaceUnknown(`not a workspace id: ${teamId}`);
  return workspaceOfTeam(deps, { teamId });
}

/**
 * The workspace id of an interaction (button, modal, shortcut, options): read from the payload,
 * else asked of Slack for the channel it happened in, through the org-wide installation's token.
 */
export async function interactionTeamId(deps: Deps, payload: unknown): Promise<string> {
  const clue = interactionWorkspaceClue(payload);
  if (clue.kind === "workspace") return clue.workspaceId;
  if (clue.kind === "channel" && clue.enterpriseId) {
    const { channelId, enterpriseId } = clue;
    // An org-wide installation is found by its enterprise id.
    const team = await deps.slack
      .gateway(enterpriseId)
      .then((gateway) => gateway.channelTeam(channelId))
      .catch((error: unknown) => {
        deps.log.warn("could not ask Slack for a channel's workspace", {
          channelId,
          enterpriseId,
          error: String(error),
        });
        return undefined;
      });
    if (isWorkspaceId(team)) return team;
  }
  throw workspaceUnknown(`no workspace in an interaction (${clue.kind})`);
}

/** The workspace of an interaction, created on the spot when Slack knows the team and we do not. */
export async function interactionWorkspace(deps: Deps, payload: unknown): Promise<Workspace> {
  return workspaceFor(deps, await interactionTeamId(deps, payload));
}

/** The workspace of an Events API callback. */
export function eventWorkspace(deps: Deps, body: unknown): Promise<Workspace> {
  return workspaceFor(deps, eventWorkspaceId(body));
}
