import { AppError, type InputProblem } from "../domain/app-error.ts";
import type { CrmKind } from "../domain/crm-connection.ts";
import { HUBSPOT_LIFECYCLE_PROPERTIES } from "../domain/crm-outcomes.ts";
import {
  type SalesforceVerdictTarget,
  salesforceVerdictTargetSchema,
} from "../domain/crm-verdict-write.ts";
import { type LeadInput, leadInputSchema } from "../domain/ingest-schemas.ts";
import { type ColumnSpec, type ImportMapping, importMappingSchema } from "./mapping.ts";

// How a CRM record becomes a lead, in the form of an import's mapping file: `columns` name the
// CRM properties each of Leadfit's columns comes from (the first non-empty one wins; a list inside
// joins those properties' values with a space), `fields` the qualification fields. The record's
// own id is the lead's external id. The presets keep the CRM's property names as the
// qualification fields' names, so agreed-definition rules name what the team sees in its CRM.
// Beside the import form, a Salesforce connection's mapping may say where verdicts go (`verdicts`).

/** A CRM connection's mapping: an import mapping of leads, and where verdicts go (Salesforce). */
export type CrmMapping = ImportMapping & { verdicts?: SalesforceVerdictTarget };

export const HUBSPOT_CONTACT_MAPPING = importMappingSchema.parse({
  name: "hubspot-crm-sync",
  label: "HubSpot contacts (CRM sync)",
  kind: "leads",
  columns: {
    email: ["email"],
    name: [["firstname", "lastname"]],
    company: ["company"],
    title: ["jobtitle"],
    createdAt: ["createdate"],
    // The owner's id in the CRM, resolved to an email through HubSpot's owners.
    owner: ["hubspot_owner_id"],
    campaign: ["utm_campaign", "hs_analytics_source_data_2"],
  },
  fields: Object.fromEntries(
    [
      "numemployees",
      "industry",
      "country",
      "state",
      "annualrevenue",
      "lifecyclestage",
      "hs_lead_status",
      "hs_analytics_source",
    ].map((property) => [property, [property]]),
  ),
});

export const SALESFORCE_LEAD_MAPPING = importMappingSchema.parse({
  name: "salesforce-crm-sync",
  label: "Salesforce leads (CRM sync)",
  kind: "leads",
  columns: {
    email: ["Email"],
    name: [["FirstName", "LastName"]],
    company: ["Company"],
    title: ["Title"],
    createdAt: ["CreatedDate"],
    // The owner's id, resolved to an email through Salesforce's User.
    owner: ["OwnerId"],
    campaign: ["LeadSource"],
  },
  fields: Object.fromEntries(
    ["NumberOfEmployees", "Industry", "Country", "State", "AnnualRevenue", "Status"].map(
      (property) => [property, [property]],
    ),
  ),
});

export const CRM_PRESETS: Record<CrmKind, CrmMapping> = {
  hubspot: HUBSPOT_CONTACT_MAPPING,
  salesforce: SALESFORCE_LEAD_MAPPING,
};

/** What a CRM sync reads of a mapping file; the rest of the import form is about files. */
const CRM_MAPPING_KEYS = new Set(["name", "label", "kind", "columns", "fields"]);
const CRM_COLUMNS = ["email", "name", "company", "title", "createdAt", "owner", "campaign"];

/**
 * A CRM connection's mapping, checked: the import mapping form, of leads, with what a sync can
 * use. Every problem is named with its place in the mapping.
 */
export function parseCrmMapping(
  kind: CrmKind,
  json: unknown,
): { ok: true; mapping: CrmMapping } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const problem = (path: PropertyKey[], message: string) =>
    problems.push({ index: 0, field: path.map(String).join(".") || "(top)", message });
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    problem([], "A mapping is a JSON object");
    return { ok: false, problems };
  }
  const { verdicts: verdictsJson, ...rest } = json as Record<string, unknown>;
  // Checked first: the other kinds' rules would only confuse.
  if (rest.kind !== "leads") {
    problem(["kind"], 'A CRM sync brings leads: use "leads"');
    return { ok: false, problems };
  }
  for (const key of Object.keys(rest))
    if (!CRM_MAPPING_KEYS.has(key))
      problem(
        [key],
        "Not used by a CRM sync: it reads name, label, kind, columns, fields, verdicts",
      );
  const parsed = importMappingSchema.safeParse(
    Object.fromEntries(Object.entries(rest).filter(([key]) => CRM_MAPPING_KEYS.has(key))),
  );
  if (!parsed.success) for (const issue of parsed.error.issues) problem(issue.path, issue.message);
  const verdicts =
    verdictsJson === undefined ? undefined : salesforceVerdictTargetSchema.safeParse(verdictsJson);
  if (verdicts && !verdicts.success)
    for (const issue of verdicts.error.issues) problem(["verdicts", ...issue.path], issue.message);
  if (verdicts?.data?.fields === "status" && kind !== "salesforce")
    problem(["verdicts"], "Lead Status is Salesforce's: HubSpot gets Leadfit's own properties");
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const mapping = parsed.data;
  for (const column of Object.keys(mapping.columns))
    if (!CRM_COLUMNS.includes(column))
      problem(
        ["columns", column],
        column === "externalId"
          ? "The record's own id is the external id: leave it out"
          : `Not a column of a CRM sync: use ${CRM_COLUMNS.join(", ")}`,
      );
  if (!mapping.columns.email) problem(["columns", "email"], "Name the property holding the email");
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, mapping: verdicts?.data ? { ...mapping, verdicts: verdicts.data } : mapping };
}

/** A mapping in the file form a CRM connection takes (what `crm mapping show` prints). */
export function crmMappingFile(mapping: CrmMapping): Record<string, unknown> {
  const { name, label, kind, columns, fields, verdicts } = mapping;
  return { name, label, kind, columns, fields, ...(verdicts ? { verdicts } : {}) };
}

/** A connection's stored mapping as the sync reads it: the preset when none was set. */
export function crmMappingOf(kind: CrmKind, stored: object): CrmMapping {
  if (Object.keys(stored).length === 0) return CRM_PRESETS[kind];
  const parsed = parseCrmMapping(kind, stored);
  if (parsed.ok) return parsed.mapping;
  const problems = parsed.problems.map((p) => `${p.field}: ${p.message}`).join("; ");
  throw new AppError(
    "invalid_mapping",
    `stored CRM mapping is invalid: ${problems}`,
    `The CRM mapping no longer reads (${problems}): set it again with leadfit crm mapping set <file>.`,
  );
}

type CrmValue = string | number | boolean | null | undefined;
type CrmValues = Record<string, CrmValue>;

const present = (value: CrmValue) => value !== null && value !== undefined && value !== "";

/** A column's value in a record: the first of its properties with a value, patterns applied. */
function columnValue(spec: ColumnSpec | undefined, values: CrmValues): CrmValue {
  if (!spec) return undefined;
  const headers = Array.isArray(spec) ? spec : spec.headers;
  for (const header of headers) {
    const value = Array.isArray(header)
      ? header
          .map((h) => values[h])
          .filter(present)
          .map(String)
          .join(" ") || null
      : values[header];
    if (!present(value)) continue;
    if (Array.isArray(spec) || (!spec.pattern && spec.type === "text")) return value;
    const text = String(value);
    const matched = spec.pattern ? (new RegExp(spec.pattern).exec(text)?.[1] ?? null) : text;
    if (spec.type !== "number" || matched === null) return matched;
    const number = Number(matched.replace(/,/g, ""));
    return Number.isFinite(number) ? number : matched;
  }
  return Array.isArray(headers[0]) ? undefined : values[headers[0] as string];
}

const text = (value: CrmValue) => (present(value) ? String(value) : null);

/** Every property a mapping reads: what to ask the CRM for. */
export function mappedProperties(mapping: ImportMapping): string[] {
  const headers = [...Object.values(mapping.columns), ...Object.values(mapping.fields)].flatMap(
    (spec) => (Array.isArray(spec) ? spec : spec.headers),
  );
  return [...new Set(headers.flat())];
}

/** The contact properties Leadfit reads from HubSpot: the mapping's, lifecycle outcomes', and merges. */
export function hubspotContactProperties(mapping: ImportMapping): string[] {
  return [
    ...mappedProperties(mapping),
    ...HUBSPOT_LIFECYCLE_PROPERTIES,
    "lastmodifieddate",
    "hs_merged_object_ids",
  ];
}

/** The id of a record's owner in the CRM, to resolve to an email; null when it has none. */
export function ownerIdOf(mapping: ImportMapping, values: CrmValues): string | null {
  return text(columnValue(mapping.columns.owner, values));
}

/**
 * A CRM record as a lead, checked by the same schema as the HTTP API; a record Leadfit cannot take
 * (no email, say) comes back with the reason instead.
 */
export function crmRecordToLead(
  mapping: ImportMapping,
  record: { id: string; values: CrmValues },
  ownerEmails: ReadonlyMap<string, string>,
): { lead: LeadInput } | { skipped: string } {
  const v = record.values;
  const column = (name: string) => text(columnValue(mapping.columns[name], v));
  const ownerId = ownerIdOf(mapping, v);
  const fields: Record<string, string | number | boolean | null> = {};
  for (const [field, spec] of Object.entries(mapping.fields)) {
    const value = columnValue(spec, v);
    if (value !== undefined) fields[field] = value === "" ? null : value;
  }
  const parsed = leadInputSchema.safeParse({
    externalId: record.id,
    email: column("email"),
    name: column("name"),
    company: column("company"),
    title: column("title"),
    campaign: column("campaign"),
    owner: ownerId ? (ownerEmails.get(ownerId) ?? ownerId) : null,
    createdAt: column("createdAt"),
    fields,
  });
  if (parsed.success) return { lead: parsed.data };
  const issue = parsed.error.issues[0];
  return { skipped: `${issue?.path.join(".") || "record"}: ${issue?.message ?? "invalid"}` };
}
