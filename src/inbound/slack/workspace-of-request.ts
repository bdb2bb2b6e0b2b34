import { z } from "zod";

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
