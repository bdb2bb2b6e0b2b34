import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  eventWorkspaceId,
  interactionWorkspaceClue,
  isWorkspaceId,
} from "../../src/inbound/slack/workspace-of-request.ts";
import { anyJson } from "./arbitraries.ts";

// Every shape Slack sends a team in — workspace installs, org-wide installs (team null, the user's
// team the enterprise), Slack Connect modals — resolves to a workspace id or to nothing, never to
// an enterprise id.

const idChars = fc.constantFrom(..."0123456789ABCDEFGHJKLMNPQRSTUVWXYZ");
const idOf = (prefix: string) =>
  fc.string({ unit: idChars, minLength: 6, maxLength: 10 }).map((rest) => `${prefix}${rest}`);
const workspaceId = idOf("T");
const enterpriseId = idOf("E");
const anyTeamId = fc.oneof(workspaceId, enterpriseId);
const absent = fc.constantFrom(undefined, null);

const interactionPayload = fc.record(
  {
    team: fc.oneof(absent, fc.record({ id: anyTeamId })),
    user: fc.record(
      { id: idOf("W"), team_id: fc.oneof(absent, anyTeamId) },
      { requiredKeys: ["id"] },
    ),
    view: fc.oneof(
      absent,
      fc.record(
        {
          app_installed_team_id: fc.oneof(absent, anyTeamId),
          team_id: fc.oneof(absent, anyTeamId),
        },
        { requiredKeys: [] },
      ),
    ),
    channel: fc.oneof(absent, fc.record({ id: idOf("C") })),
    container: fc.oneof(absent, fc.record({ channel_id: idOf("C") })),
    enterprise: fc.oneof(absent, fc.record({ id: enterpriseId })),
  },
  { requiredKeys: ["user"] },
);

describe("security #8: workspace resolution from any payload shape", () => {
  it("takes the first workspace id in Slack's order, else the channel, and never an enterprise id", () => {
    fc.assert(
      fc.property(interactionPayload, (payload) => {
        const candidates = [
          payload.view?.app_installed_team_id,
          payload.team?.id,
          payload.user.team_id,
          payload.view?.team_id,
        ];
        const expected = candidates.find((id) => typeof id === "string" && id.startsWith("T"));
        const channelId = payload.channel?.id ?? payload.container?.channel_id;
        const clue = interactionWorkspaceClue(payload);
        if (expected) expect(clue).toEqual({ kind: "workspace", workspaceId: expected });
        else if (channelId)
          expect(clue).toEqual({
            kind: "channel",
            channelId,
            enterpriseId: payload.enterprise?.id ?? undefined,
          });
        else expect(clue).toEqual({ kind: "none" });
      }),
    );
  });

  it("an event's workspace is its authorization's team, else its team, and never an enterprise id", () => {
    fc.assert(
      fc.property(
        fc.oneof(absent, anyTeamId),
        fc.oneof(
          absent,
          fc.array(fc.record({ team_id: fc.oneof(absent, anyTeamId) }), { maxLength: 2 }),
        ),
        (teamId, authorizations) => {
          const resolved = eventWorkspaceId({ team_id: teamId, authorizations });
          const expected = [authorizations?.[0]?.team_id, teamId].find(
            (id) => typeof id === "string" && id.startsWith("T"),
          );
          expect(resolved).toBe(expected);
        },
      ),
    );
  });

  it("never throws on arbitrary JSON and never answers with something that is not a workspace id", () => {
    fc.assert(
      fc.property(anyJson(), (payload) => {
        const clue = interactionWorkspaceClue(payload);
        if (clue.kind === "workspace") expect(isWorkspaceId(clue.workspaceId)).toBe(true);
        const fromEvent = eventWorkspaceId(payload);
        if (fromEvent !== undefined) expect(isWorkspaceId(fromEvent)).toBe(true);
      }),
    );
  });
});
