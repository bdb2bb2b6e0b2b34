import type { KnownBlock } from "@slack/types";
import { MAX_MESSAGE_BLOCKS, MESSAGE_JSON_BUDGET } from "./limits.ts";

// Whatever the data, a digest or report stays within Slack's limits: when the whole would pass
// the size budget, the builder tries again with shorter texts and fewer lines.

/** The most campaign lines in a digest; the rest are counted. */
export const MAX_CAMPAIGN_LINES = 6;
/** The most context notes in a digest; the rest are counted. */
export const MAX_NOTE_LINES = 5;
/** The most "needs context" requests in a digest; the rest are counted. */
export const MAX_NEEDS_CONTEXT_LINES = 5;
/** The most reasons shown per owner group. */
export const MAX_REASONS_PER_GROUP = 3;
/** The most chart images inside the digest message. */
export const MAX_DIGEST_CHARTS = 6;

/** How long texts may be and how many lines each list shows: one step per attempt. */
export interface Caps {
  label: number;
  pairing: number;
  reasonLabel: number;
  reasons: number;
  campaigns: number;
  notes: number;
  noteText: number;
  needs: number;
  charts: number;
  altText: number;
}

/**
 * Tried in order until the message fits in Slack's limits. The last step is small whatever the
 * data (every text in it is bounded), so it always fits.
 */
const LEVELS: readonly Caps[] = [
  {
    label: 80,
    pairing: 200,
    reasonLabel: 60,
    reasons: MAX_REASONS_PER_GROUP,
    campaigns: MAX_CAMPAIGN_LINES,
    notes: MAX_NOTE_LINES,
    noteText: 300,
    needs: MAX_NEEDS_CONTEXT_LINES,
    charts: MAX_DIGEST_CHARTS,
    altText: 500,
  },
  {
    label: 60,
    pairing: 120,
    reasonLabel: 40,
    reasons: MAX_REASONS_PER_GROUP,
    campaigns: MAX_CAMPAIGN_LINES,
    notes: MAX_NOTE_LINES,
    noteText: 150,
    needs: MAX_NEEDS_CONTEXT_LINES,
    charts: MAX_DIGEST_CHARTS,
    altText: 200,
  },
  {
    label: 40,
    pairing: 80,
    reasonLabel: 30,
    reasons: 2,
    campaigns: 4,
    notes: 3,
    noteText: 100,
    needs: 3,
    charts: 4,
    altText: 100,
  },
  {
    label: 30,
    pairing: 60,
    reasonLabel: 24,
    reasons: 1,
    campaigns: 3,
    notes: 2,
    noteText: 60,
    needs: 2,
    charts: 2,
    altText: 60,
  },
  {
    label: 24,
    pairing: 40,
    reasonLabel: 20,
    reasons: 1,
    campaigns: 0,
    notes: 0,
    noteText: 0,
    needs: 0,
    charts: 1,
    altText: 40,
  },
];

function fits(blocks: readonly KnownBlock[]): boolean {
  return (
    blocks.length <= MAX_MESSAGE_BLOCKS && JSON.stringify(blocks).length <= MESSAGE_JSON_BUDGET
  );
}

/** The richest version of the message that fits Slack's limits. */
export function fitted(build: (caps: Caps) => KnownBlock[]): KnownBlock[] {
  let blocks: KnownBlock[] = [];
  for (const caps of LEVELS) {
    blocks = build(caps);
    if (fits(blocks)) return blocks;
  }
  return blocks;
}
