import { aliasNameKey, type CampaignAlias } from "../db/repositories/campaign-alias-repository.ts";
import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import { campaignKeySchema } from "../domain/ingest-schemas.ts";

// Campaign aliases: the names platforms and CRMs use for a campaign, mapped to its key, so an
// import (or a CRM sync) files spend and leads under one campaign.

type AliasDeps = Pick<Repositories, "campaignAliases" | "campaigns">;

/** Maps a platform's or CRM's campaign name to a campaign key; the campaign is created if new. */
export async function addCampaignAlias(
  deps: AliasDeps,
  input: { workspaceId: string; name: string; campaignKey: string },
): Promise<CampaignAlias> {
  const name = input.name.trim();
  if (name === "")
    throw new AppError("invalid_alias", "empty alias name", "Give the name the platform uses.");
  const key = campaignKeySchema.safeParse(input.campaignKey);
  if (!key.success) {
    const message = key.error.issues[0]?.message ?? "Not a campaign key";
    throw new AppError("invalid_alias", `alias key: ${message}`, message);
  }
  await deps.campaigns.ensureKeys(input.workspaceId, [key.data]);
  const alias = { name, campaignKey: key.data };
  await deps.campaignAliases.set(input.workspaceId, alias);
  return alias;
}

/** Removes an alias: the name is no longer filed under a campaign (its rows are listed again). */
export async function removeCampaignAlias(
  deps: Pick<Repositories, "campaignAliases">,
  input: { workspaceId: string; name: string },
): Promise<void> {
  if (!(await deps.campaignAliases.remove(input.workspaceId, input.name)))
    throw new AppError(
      "not_found",
      `no campaign alias ${input.name}`,
      `No campaign alias "${input.name.trim()}": leadfit campaign alias list shows them.`,
    );
}

export function listCampaignAliases(
  deps: Pick<Repositories, "campaignAliases">,
  input: { workspaceId: string },
): Promise<CampaignAlias[]> {
  return deps.campaignAliases.list(input.workspaceId);
}

/**
 * How campaign names find their campaign key: an alias, else a campaign with that key or name
 * (ignoring case). Read once, for a whole import or sync.
 */
export async function campaignKeyFinder(
  deps: AliasDeps,
  input: { workspaceId: string },
): Promise<(name: string) => string | undefined> {
  const [campaigns, aliases] = await Promise.all([
    deps.campaigns.list(input.workspaceId),
    deps.campaignAliases.list(input.workspaceId),
  ]);
  const keys = new Map<string, string>();
  for (const c of campaigns) keys.set(aliasNameKey(c.name), c.key);
  for (const c of campaigns) keys.set(aliasNameKey(c.key), c.key);
  for (const a of aliases) keys.set(aliasNameKey(a.name), a.campaignKey);
  return (name) => keys.get(aliasNameKey(name));
}
