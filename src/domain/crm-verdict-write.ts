import { z } from "zod";
import { CRM_LABELS, type CrmConnectionSummary } from "./crm-connection.ts";
import { type DefinitionCheckStatus, VERDICT_LABELS, type Verdict } from "./verdict.ts";

/** A verdict as it is written back to the CRM record its lead came from. */
export interface VerdictWrite {
  verdict: Verdict;
  /** The reasons' labels, in the order given. */
  reasons: string[];
  /** The Slack user who gave the verdict. */
  judgedBy: string;
  judgedAt: Date;
  definitionStatus: DefinitionCheckStatus;
}

/** A workspace's verdicts written back, waiting, and failed for good (until an admin retries). */
export interface CrmWriteStatus {
  pending: number;
  written: number;
  failed: number;
}

/** A write the CRM refused or that ran out of tries, as admins see it. */
export interface FailedCrmWrite {
  email: string;
  verdict: Verdict;
  givenAt: Date;
  lastError: string | null;
}

/** A workspace's CRM as admins see it: the connection, and its verdicts' writes. */
export interface CrmStatus {
  connection: CrmConnectionSummary;
  writes: CrmWriteStatus;
  /** The newest failed writes, with the CRM's message. */
  failedWrites: FailedCrmWrite[];
}

/**
 * The digest's one line about a CRM in trouble: its last sync failed, or verdicts could not be
 * written back. Null when all is well or there is no CRM. Admins know where to look.
 */
export function crmTrouble(status: CrmStatus | undefined): string | null {
  if (!status) return null;
  const { connection, writes } = status;
  const problems = [
    ...(connection.lastError !== null ? ["its last sync failed"] : []),
    ...(writes.failed > 0
      ? [
          `${writes.failed} ${writes.failed === 1 ? "verdict was" : "verdicts were"} not written back`,
        ]
      : []),
  ];
  if (problems.length === 0) return null;
  return `⚠️ ${CRM_LABELS[connection.kind]}: ${problems.join(" and ")} — admins, see App Home.`;
}

const DEFINITION_LABELS: Record<DefinitionCheckStatus, string> = {
  met: "Met",
  not_met: "Not met",
  unknown: "No agreed definition",
};

/** Leadfit's own contact property group in HubSpot: every property it writes lives there. */
export const HUBSPOT_PROPERTY_GROUP = { name: "leadfit", label: "Leadfit", displayOrder: -1 };

const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label], displayOrder) => ({
    value,
    label,
    displayOrder,
    hidden: false,
  }));

/** The contact properties Leadfit creates when missing (CRM properties API v3, create property). */
export const HUBSPOT_VERDICT_PROPERTIES = [
  {
    name: "leadfit_verdict",
    label: "Leadfit verdict",
    description: "Sales' newest verdict on this lead in Leadfit.",
    type: "enumeration",
    fieldType: "select",
    options: options(VERDICT_LABELS),
  },
  {
    name: "leadfit_reasons",
    label: "Leadfit reasons",
    description: "Why sales judged the lead not a fit, separated by semicolons.",
    type: "string",
    fieldType: "textarea",
  },
  {
    name: "leadfit_judged_by",
    label: "Leadfit judged by",
    description: "The Slack user id of who gave the verdict.",
    type: "string",
    fieldType: "text",
  },
  {
    name: "leadfit_judged_at",
    label: "Leadfit judged at",
    description: "When the verdict was given.",
    type: "datetime",
    fieldType: "date",
  },
  {
    name: "leadfit_met_definition",
    label: "Leadfit met agreed definition",
    description: "Whether the lead met the agreed lead definition when it was judged.",
    type: "enumeration",
    fieldType: "select",
    options: options(DEFINITION_LABELS),
  },
].map((property) => ({ ...property, groupName: HUBSPOT_PROPERTY_GROUP.name }));

const REASON_SEPARATOR = "; ";

/** The contact's property values for a verdict (PATCH /crm/v3/objects/contacts/{id}). */
export function hubspotVerdictProperties(write: VerdictWrite): Record<string, string> {
  return {
    leadfit_verdict: write.verdict,
    leadfit_reasons: write.reasons.join(REASON_SEPARATOR),
    leadfit_judged_by: write.judgedBy,
    leadfit_judged_at: write.judgedAt.toISOString(),
    leadfit_met_definition: write.definitionStatus,
  };
}

/**
 * The custom fields on Salesforce's Lead that an admin creates (README: API name, type, length);
 * picklist values are the API names of the verdicts and definition statuses.
 */
export const SALESFORCE_VERDICT_FIELDS = {
  verdict: "Leadfit_Verdict__c",
  reasons: "Leadfit_Reasons__c",
  judgedBy: "Leadfit_Judged_By__c",
  judgedAt: "Leadfit_Judged_At__c",
  metDefinition: "Leadfit_Met_Definition__c",
} as const;

/** A field's API name on Salesforce's Lead (a custom one ends in __c). */
const salesforceFieldSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, "A field's API name, e.g. Leadfit_Reason__c");
/** A Lead Status picklist value, as the org's picklist names it. */
const leadStatusSchema = z.string().trim().min(1, "Name a Lead Status value").max(255);

/**
 * Where verdicts go on a Salesforce Lead: Leadfit's custom fields (the default), or the Lead's
 * Status — each verdict mapped to a Lead Status value the admin names — with the reasons in a text
 * field the admin names. Set in the connection's mapping (`verdicts`).
 */
export const salesforceVerdictTargetSchema = z.discriminatedUnion("fields", [
  z.strictObject({ fields: z.literal("custom") }),
  z.strictObject({
    fields: z.literal("status"),
    status: z.strictObject({
      fit: leadStatusSchema,
      not_yet: leadStatusSchema,
      not_fit: leadStatusSchema,
    }),
    reasonField: salesforceFieldSchema,
  }),
]);
export type SalesforceVerdictTarget = z.infer<typeof salesforceVerdictTargetSchema>;

/**
 * The Lead's field values for a verdict (sobject update): Leadfit's custom fields, or Lead Status
 * and the reason field; no reasons clears the reasons.
 */
export function salesforceVerdictFields(
  write: VerdictWrite,
  target: SalesforceVerdictTarget = { fields: "custom" },
): Record<string, string | null> {
  const reasons = write.reasons.length > 0 ? write.reasons.join(REASON_SEPARATOR) : null;
  if (target.fields === "status")
    return { Status: target.status[write.verdict], [target.reasonField]: reasons };
  const fields = SALESFORCE_VERDICT_FIELDS;
  return {
    [fields.verdict]: write.verdict,
    [fields.reasons]: reasons,
    [fields.judgedBy]: write.judgedBy,
    [fields.judgedAt]: write.judgedAt.toISOString(),
    [fields.metDefinition]: write.definitionStatus,
  };
}

/** Tries before a write is given up: one minute doubling to an hour between tries spans a day. */
export const CRM_WRITE_MAX_ATTEMPTS = 30;

/** When a write that failed on its `attempts`-th try is tried again. */
export function nextCrmWriteAt(now: Date, attempts: number): Date {
  return new Date(now.getTime() + Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000));
}
