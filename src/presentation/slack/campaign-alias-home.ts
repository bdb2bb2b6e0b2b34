import type { KnownBlock, ModalView } from "@slack/types";
import { ACTIONS, INPUTS, VIEWS } from "./ids.ts";
import { button, escapeAndTruncate, mrkdwn, plain, plural, truncate } from "./text.ts";

/** Aliases listed on App Home, one block each; the rest are counted and left to the command line. */
export const MAX_LISTED_ALIASES = 20;
const MAX_HINTED_KEYS = 15;

/**
 * Campaign aliases on admins' App Home: each name → its campaign key with a Remove button, and
 * "Add alias". Many aliases are counted, not listed, so the home stays within 100 blocks.
 */
export function campaignAliasBlocks(
  aliases: readonly { name: string; campaignKey: string }[],
): KnownBlock[] {
  const shown = aliases.slice(0, MAX_LISTED_ALIASES);
  const more = aliases.length - shown.length;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: mrkdwn(
        aliases.length === 0
          ? "*Campaign aliases*\nNone yet: map the campaign names ad platforms and CRMs use to a campaign key, so spend and leads meet on one campaign."
          : "*Campaign aliases*",
      ),
      accessory: button(ACTIONS.campaignAliasAdd, "Add alias"),
    },
  ];
  // One block per alias: Slack wants a button's action id unique within its block.
  for (const a of shown) {
    blocks.push({
      type: "section",
      text: mrkdwn(
        `• ${escapeAndTruncate(a.name, 200)} → \`${escapeAndTruncate(a.campaignKey, 200)}\``,
      ),
      accessory: button(ACTIONS.campaignAliasRemove, "Remove", {
        value: a.name,
        style: "danger",
        confirm: {
          title: plain("Remove this alias?"),
          text: plain(
            truncate(
              `"${a.name}" no longer files under ${a.campaignKey}; imports list it again.`,
              300,
            ),
          ),
          confirm: plain("Remove"),
          deny: plain("Keep it"),
        },
      }),
    });
  }
  if (more > 0)
    blocks.push({
      type: "context",
      elements: [
        mrkdwn(
          `and ${plural(more, "more alias", "more aliases")} — \`leadfit campaign alias list\``,
        ),
      ],
    });
  return blocks;
}

/** Maps a campaign name to a campaign key, one of `campaignKeys` (the first few are named). */
export function campaignAliasModal(campaignKeys: readonly string[]): ModalView {
  const keys = campaignKeys.slice(0, MAX_HINTED_KEYS).join(", ");
  const more = campaignKeys.length - MAX_HINTED_KEYS;
  return {
    type: "modal",
    callback_id: VIEWS.campaignAlias,
    title: plain("Campaign alias"),
    submit: plain("Add"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: INPUTS.aliasName,
        label: plain("Name the platform or CRM uses"),
        hint: plain('E.g. "Brand | Exact | US", matched ignoring case.'),
        element: { type: "plain_text_input", action_id: INPUTS.aliasName, max_length: 200 },
      },
      {
        type: "input",
        block_id: INPUTS.aliasCampaignKey,
        label: plain("Campaign key"),
        hint: plain(
          campaignKeys.length === 0
            ? "No campaign yet: leads and imports create them."
            : truncate(`One of: ${keys}${more > 0 ? ` and ${more} more` : ""}`, 1000),
        ),
        element: { type: "plain_text_input", action_id: INPUTS.aliasCampaignKey, max_length: 200 },
      },
    ],
  };
}
