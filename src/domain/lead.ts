import { AppError } from "./app-error.ts";
import type { FieldValue, RuleFailure } from "./definition-rules.ts";
import type { DefinitionCheckStatus, Verdict } from "./verdict.ts";

/** A failed rule as kept on the lead: its one-line text and whether the field was missing. */
export type DefinitionFailure = Pick<RuleFailure, "text" | "reason">;

export interface DefinitionCheck {
  status: DefinitionCheckStatus;
  failures: DefinitionFailure[];
  /** The agreed definition version that checked the lead; null when none was active. */
  version: number | null;
}

export interface Lead {
  id: string;
  workspaceId: string;
  externalId: string;
  email: string;
  name: string | null;
  company: string | null;
  title: string | null;
  campaignKey: string | null;
  owner: string | null;
  createdAt: Date;
  fields: Record<string, FieldValue>;
  definition: DefinitionCheck;
  card: { channelId: string; ts: string } | null;
}

export interface LeadFeedback {
  id: string;
  leadId: string;
  verdict: Verdict;
  reasons: string[];
  note: string | null;
  userId: string;
  givenAt: Date;
  definitionStatus: DefinitionCheckStatus;
  /** Not yet only: the day ("YYYY-MM-DD", workspace's timezone) the lead comes back to sales. */
  revisitOn: string | null;
  /** When the lead came back to sales on its revisit date; null until then (or never). */
  cameBackAt: Date | null;
}

/** The not-yet verdict of a lead that came back to sales on its revisit date. */
export type NotYetCameBack = Pick<LeadFeedback, "userId" | "givenAt" | "revisitOn">;

/** A lead waiting for a verdict: never judged, or back from not yet (that verdict, then). */
export type WaitingLead = Lead & { backFromNotYet: NotYetCameBack | null };

/** A lead id the workspace does not have: deleted, mistyped, or another workspace's. */
export function leadNotFound(workspaceId: string, leadId: string): AppError {
  return new AppError(
    "lead_not_found",
    `lead ${leadId} not in ${workspaceId}`,
    "That lead no longer exists.",
  );
}
