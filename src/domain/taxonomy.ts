import { z } from "zod";
import { storableString } from "./storable.ts";

/** Who can act on a "not a fit" reason. */
export const REASON_OWNERS = ["marketing", "data", "need", "sales_process"] as const;
export type ReasonOwner = (typeof REASON_OWNERS)[number];

export interface Reason {
  key: string;
  label: string;
  owner: ReasonOwner;
}

export const REASON_OWNER_LABELS: Record<ReasonOwner, string> = {
  marketing: "Marketing can fix (targeting)",
  data: "Data quality",
  need: "No need or budget",
  sales_process: "Sales process",
};

// Timing is deliberately absent: "right profile, wrong time" is the verdict not_yet, not a reason.
export const DEFAULT_REASONS: readonly Reason[] = [
  { key: "company_too_small", label: "Company too small", owner: "marketing" },
  { key: "company_too_large", label: "Company too large", owner: "marketing" },
  { key: "wrong_industry", label: "Wrong industry", owner: "marketing" },
  { key: "wrong_role", label: "Wrong role or seniority", owner: "marketing" },
  { key: "outside_regions", label: "Outside served regions", owner: "marketing" },
  { key: "student_or_personal", label: "Student, job seeker or personal", owner: "marketing" },
  { key: "competitor_or_vendor", label: "Competitor or vendor", owner: "marketing" },
  { key: "spam_or_fake", label: "Spam or fake data", owner: "marketing" },
  { key: "duplicate", label: "Duplicate", owner: "data" },
  { key: "invalid_contact", label: "Invalid contact details", owner: "data" },
  { key: "no_need", label: "No need", owner: "need" },
  { key: "no_budget", label: "No budget", owner: "need" },
  { key: "no_response", label: "No response after agreed attempts", owner: "sales_process" },
  {
    key: "already_customer",
    label: "Already a customer or open opportunity",
    owner: "sales_process",
  },
];

/** A workspace's own reason, as edited through the API or CLI. */
export const reasonSchema = z.object({
  key: z
    .string()
    .max(64, "A reason key has at most 64 characters")
    .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, "A reason key is lowercase snake_case, e.g. no_budget"),
  // 75 characters is the most a Slack select option shows.
  label: storableString().trim().min(1, "A label is required").max(75),
  owner: z.enum(REASON_OWNERS),
}) satisfies z.ZodType<Reason>;

export interface ReasonGroup {
  owner: ReasonOwner;
  label: string;
  reasons: Reason[];
}

/** Reasons grouped by who can act, in REASON_OWNERS order; empty groups are left out. */
export function groupReasonsByOwner(reasons: readonly Reason[]): ReasonGroup[] {
  return REASON_OWNERS.map((owner) => ({
    owner,
    label: REASON_OWNER_LABELS[owner],
    reasons: reasons.filter((r) => r.owner === owner),
  })).filter((group) => group.reasons.length > 0);
}
