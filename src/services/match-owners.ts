import { isSlackUserId } from "../domain/slack-user-id.ts";
import type { SlackGateway } from "../outbound/slack/gateway.ts";

// CRM owners → Slack users, for imports and the CRM sync. An owner is written as a Slack user id,
// a name or an email. A name goes through the mapping's owner table (its value map, which may
// give a Slack user id or an email); an email is looked up with Slack's users.lookupByEmail, once
// per distinct email however many leads it owns. What matches nothing is listed, never guessed.

export interface OwnerMatches {
  /** Each matched owner, as written → its Slack user id. */
  users: Map<string, string>;
  /** The owners no Slack user was found for, as written, in the order first seen. */
  unmatched: string[];
}

export interface MatchOwnersDeps {
  /** Slack, when the workspace has it (a local workspace has not: emails then stay unmatched). */
  slack: Pick<SlackGateway, "userIdByEmail"> | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The Slack users of these owners; Slack's errors other than "no such user" are thrown. */
export async function matchOwners(
  deps: MatchOwnersDeps,
  input: {
    owners: Iterable<string>;
    /** The owner table: names (or other spellings) as written → a Slack user id or an email. */
    names?: Readonly<Record<string, string>>;
  },
): Promise<OwnerMatches> {
  const users = new Map<string, string>();
  const unmatched: string[] = [];
  const byEmail = new Map<string, string | undefined>();
  for (const written of new Set(input.owners)) {
    const owner = (input.names?.[written] ?? written).trim();
    let user: string | undefined;
    if (isSlackUserId(owner)) user = owner;
    else if (EMAIL.test(owner) && deps.slack) {
      const email = owner.toLowerCase();
      if (!byEmail.has(email)) byEmail.set(email, await deps.slack.userIdByEmail(email));
      user = byEmail.get(email);
    }
    if (user === undefined) unmatched.push(written);
    else users.set(written, user);
  }
  return { users, unmatched };
}
