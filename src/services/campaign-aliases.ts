import { aliasNameKey, type CampaignAlias } from "../db/repositories/campaign-alias-repository.ts";
import type { Repositories } from "../db/repositories/index.ts";
import { AppError } from "../domain/app-error.ts";
import { campaignKeySchema } from "../domain/ingest-schemas.ts";

// Campaign aliases: the names platforms and CRMs use for a campaign, mapped to its key, so an
// import (or a CRM sync) files spend and leads under one campaign.

type AliasDeps = { repos: Pick<Repositories, "campaignAliases" | "campaigns"> };

export const MAX_ALIAS_NAME = 200;

/** Which of the two inputs a refused alias is wrong in, so a form can say so beside it. */
export type AliasField = "name" | "campaignKey";

function invalidAlias(field: AliasField, message: string): AppError {
  return new AppError("invalid_alias", `alias ${field}: ${message}`, message, {
    issues: [{ index: 0, field, message }],
  });
}

/**
 * Maps a platform's or CRM's campaign name to a campaign key. A name already mapped to another key
 * is refused (remove it first). An unknown key is created as a campaign when `newCampaign` is
 * "create" (the command line, ahead of the leads), else refused (a form, where it is a typo).
 * Audited as `actor`.
 */
export async function addCampaignAlias(
  deps: AliasDeps,
  input: {
    workspaceId: string;
    name: string;
    campaignKey: string;
    actor: string;
    newCampaign: "create" | "refuse";
  },
): Promise<CampaignAlias> {
  const name = input.name.trim();
  if (name === "") throw invalidAlias("name", "Give the name the platform uses.");
  if (name.length > MAX_ALIAS_NAME)
    throw invalidAlias("name", `An alias has at most ${MAX_ALIAS_NAME} characters.`);
  const key = campaignKeySchema.safeParse(input.campaignKey);
  if (!key.success)
    throw invalidAlias("campaignKey", key.error.issues[0]?.message ?? "Not a campaign key");
  const existing = (await deps.repos.campaignAliases.list(input.workspaceId)).find(
    (a) => aliasNameKey(a.name) === aliasNameKey(name),
  );
  if (existing && existing.campaignKey !== key.data)
    throw invalidAlias(
      "name",
      `"${existing.name}" is already an alias of ${existing.campaignKey}: remove it first.`,
    );
  if (input.newCampaign === "create")
    await deps.repos.campaigns.ensureKeys(input.workspaceId, [key.data]);
  else if (!(await deps.repos.campaigns.findByKey(input.workspaceId, key.data)))
    throw invalidAlias("campaignKey", `No campaign has the key ${key.data}.`);
  const alias = { name, campaignKey: key.data };
  await deps.repos.campaignAliases.set(input.workspaceId, alias, input.actor);
  return alias;
}

/** Removes an alias: the name is no longer filed under a campaign (its rows are listed again). */
export async function removeCampaignAlias(
  deps: { repos: Pick<Repositories, "campaignAliases"> },
  input: { workspaceId: string; name: string; actor: string },
): Promise<void> {
  if (!(await deps.repos.campaignAliases.remove(input.workspaceId, input.name, input.actor)))
    throw new AppError(
      "not_found",
      `no campaign alias ${input.name}`,
      `No campaign alias "${input.name.trim()}": leadfit campaign alias list shows them.`,
    );
}

export function listCampaignAliases(
  deps: { repos: Pick<Repositories, "campaignAliases"> },
  input: { workspaceId: string },
): Promise<CampaignAlias[]> {
  return deps.repos.campaignAliases.list(input.workspaceId);
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
    deps.repos.campaigns.list(input.workspaceId),
    deps.repos.campaignAliases.list(input.workspaceId),
  ]);
  const keys = new Map<string, string>();
  for (const c of campaigns) keys.set(aliasNameKey(c.name), c.key);
  for (const c of campaigns) keys.set(aliasNameKey(c.key), c.key);
  for (const a of aliases) keys.set(aliasNameKey(a.name), a.campaignKey);
  return (name) => keys.get(aliasNameKey(name));
}
