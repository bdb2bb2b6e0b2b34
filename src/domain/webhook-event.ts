import { z } from "zod";
import { VERDICTS } from "./verdict.ts";

/**
 * The outbound webhook's contract: the body of a `verdict.created` event, as stored with its
 * verdict (LeadFeedbackRepository.record builds it in SQL) and sent, signed, to the receiver.
 */
export const verdictCreatedEvent = z.object({
  id: z.string(),
  type: z.literal("verdict.created"),
  createdAt: z.string(),
  workspace: z.string(),
  data: z.object({
    lead: z.object({ externalId: z.string(), email: z.string() }),
    verdict: z.enum(VERDICTS),
    reasons: z.array(z.string()),
    note: z.string().nullable(),
    userId: z.string(),
    givenAt: z.string(),
    definitionStatus: z.enum(["met", "not_met", "unknown"]),
  }),
});

export type VerdictCreatedEvent = z.infer<typeof verdictCreatedEvent>;
