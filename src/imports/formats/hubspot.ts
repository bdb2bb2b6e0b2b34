import type { ImportMappingText } from "../mapping.ts";
import { COUNTRY_TO_REGION, qualificationFields } from "./crm-fields.ts";

// HubSpot's exports (CRM > Contacts or Leads > Export, CSV or XLSX): property labels as headers,
// times in the account's zone without an offset ("2026-11-09 17:09"), owners by name.

const HUBSPOT_FIELDS = qualificationFields({
  country: ["Country/Region", "Country"],
  employees: ["Number of Employees"],
  industry: ["Industry"],
  extra: {
    lifecycle_stage: ["Lifecycle Stage"],
    lead_status: ["Lead Status"],
    original_source: ["Original Source"],
  },
});

export const hubspotContacts: ImportMappingText = {
  name: "hubspot-contacts",
  label: "HubSpot contacts export",
  kind: "leads",
  columns: {
    externalId: ["Record ID", "Contact ID"],
    email: ["Email"],
    name: [["First Name", "Last Name"]],
    company: ["Company Name"],
    title: ["Job Title"],
    // The campaign's utm_campaign, as HubSpot's source tracking records it.
    campaign: ["Original Source Drill-Down 2"],
    owner: ["Contact owner"],
    createdAt: ["Create Date"],
  },
  fields: HUBSPOT_FIELDS,
  region: COUNTRY_TO_REGION,
};

export const hubspotLeads: ImportMappingText = {
  name: "hubspot-leads",
  label: "HubSpot leads export",
  kind: "leads",
  columns: {
    externalId: ["Record ID"],
    // The leads object has no email: its contact is written "Name (email)".
    email: { headers: ["Associated Contact"], pattern: "\\(([^()\\s]+@[^()\\s]+)\\)\\s*$" },
    name: ["Lead name"],
    company: ["Associated Company"],
    campaign: ["Original Source Drill-Down 2", "Lead source"],
    owner: ["Lead owner"],
    createdAt: ["Create Date"],
  },
  fields: {
    ...HUBSPOT_FIELDS,
    lead_stage: ["Lead stage"],
    lead_type: ["Lead type"],
  },
  region: COUNTRY_TO_REGION,
};
