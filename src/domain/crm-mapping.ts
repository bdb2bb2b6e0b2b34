import { type LeadInput, leadInputSchema } from "./ingest-schemas.ts";

/**
 * How a CRM record becomes a lead: the presets for HubSpot's and Salesforce's standard
 * properties. The record's own id is the lead's external id; the qualification fields keep the
 * CRM's property names, so agreed-definition rules name what the team sees in its CRM.
 */
export interface CrmLeadMapping {
  email: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  createdAt: string;
  /** The owner's id in the CRM, resolved to an email through the CRM's owners or users. */
  owner: string;
  /** Properties whose first non-empty value is the campaign key (UTM first, then the source). */
  campaign: readonly string[];
  qualification: readonly string[];
}

export const HUBSPOT_CONTACT_MAPPING: CrmLeadMapping = {
  email: "email",
  firstName: "firstname",
  lastName: "lastname",
  company: "company",
  title: "jobtitle",
  createdAt: "createdate",
  owner: "hubspot_owner_id",
  campaign: ["utm_campaign", "hs_analytics_source_data_2"],
  qualification: [
    "numemployees",
    "industry",
    "country",
    "state",
    "annualrevenue",
    "lifecyclestage",
    "hs_lead_status",
    "hs_analytics_source",
  ],
};

export const SALESFORCE_LEAD_MAPPING: CrmLeadMapping = {
  email: "Email",
  firstName: "FirstName",
  lastName: "LastName",
  company: "Company",
  title: "Title",
  createdAt: "CreatedDate",
  owner: "OwnerId",
  campaign: ["LeadSource"],
  qualification: ["NumberOfEmployees", "Industry", "Country", "State", "AnnualRevenue", "Status"],
};

/** Every property a mapping reads: what to ask the CRM for. */
export function mappedProperties(mapping: CrmLeadMapping): string[] {
  return [
    ...new Set([
      mapping.email,
      mapping.firstName,
      mapping.lastName,
      mapping.company,
      mapping.title,
      mapping.createdAt,
      mapping.owner,
      ...mapping.campaign,
      ...mapping.qualification,
    ]),
  ];
}

type CrmValue = string | number | boolean | null | undefined;

const text = (value: CrmValue) =>
  value === null || value === undefined || value === "" ? null : String(value);

/**
 * A CRM record as a lead, checked by the same schema as the HTTP API; a record Leadfit cannot take
 * (no email, say) comes back with the reason instead.
 */
export function crmRecordToLead(
  mapping: CrmLeadMapping,
  record: { id: string; values: Record<string, CrmValue> },
  ownerEmails: ReadonlyMap<string, string>,
): { lead: LeadInput } | { skipped: string } {
  const v = record.values;
  const name = [text(v[mapping.firstName]), text(v[mapping.lastName])].filter(Boolean).join(" ");
  const ownerId = text(v[mapping.owner]);
  const fields: Record<string, string | number | boolean | null> = {};
  for (const property of mapping.qualification) {
    const value = v[property];
    if (value !== undefined) fields[property] = value === "" ? null : value;
  }
  const parsed = leadInputSchema.safeParse({
    externalId: record.id,
    email: text(v[mapping.email]),
    name: name || null,
    company: text(v[mapping.company]),
    title: text(v[mapping.title]),
    campaign: mapping.campaign.map((p) => text(v[p])).find((c) => c !== null) ?? null,
    owner: ownerId ? (ownerEmails.get(ownerId) ?? ownerId) : null,
    createdAt: text(v[mapping.createdAt]),
    fields,
  });
  if (parsed.success) return { lead: parsed.data };
  const issue = parsed.error.issues[0];
  return { skipped: `${issue?.path.join(".") || "record"}: ${issue?.message ?? "invalid"}` };
}
