// The figures of a week with nothing in it, written out by hand: what the domain must compute for
// such a week, and the starting point of the figures the Block Kit tests make up.

import type { FeedbackFigures } from "../../src/domain/digest.ts";
import type { CampaignWeekFigures } from "../../src/domain/figures.ts";

/** A campaign's week without spend or leads: nothing counted, ratios unknown. */
export const NOTHING_COUNTED: Readonly<CampaignWeekFigures> = {
  spend: null,
  leads: 0,
  reviewed: 0,
  fit: 0,
  notYet: 0,
  notFit: 0,
  fitRate: null,
  costPerFitLead: null,
};

/** Lead feedback of a week without leads. */
export const NO_FEEDBACK: Readonly<FeedbackFigures> = {
  created: 0,
  reviewed: 0,
  coverage: null,
  fit: 0,
  notYet: 0,
  notFit: 0,
  fitRate: null,
  overdue: 0,
  rejectedDespiteDefinition: 0,
  reasonsByOwner: [],
};
