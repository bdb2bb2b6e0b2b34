import { AppError } from "../../domain/app-error.ts";
import { type ImportMapping, importMappingSchema } from "../mapping.ts";
import { ga4, googleAds, linkedinAds } from "./ad-platforms.ts";
import { hubspotContacts, hubspotLeads } from "./hubspot.ts";
import { leadfitLeads, leadfitMetrics, leadfitOutcomes } from "./leadfit.ts";
import { salesforceDataLoader, salesforceReport } from "./salesforce.ts";

// The built-in formats: each a mapping in the same form as a user's --mapping file. A new format
// is one more entry here.

export const BUILT_IN_FORMATS: readonly ImportMapping[] = [
  leadfitLeads,
  leadfitMetrics,
  leadfitOutcomes,
  hubspotContacts,
  hubspotLeads,
  salesforceReport,
  salesforceDataLoader,
  googleAds,
  linkedinAds,
  ga4,
].map((mapping) => importMappingSchema.parse(mapping));

export const FORMAT_NAMES = [...new Set(BUILT_IN_FORMATS.map((f) => f.name))];

/** The formats a file of this kind may be in, Leadfit's own first. */
export function formatsOf(kind: ImportMapping["kind"]): ImportMapping[] {
  return BUILT_IN_FORMATS.filter((f) => f.kind === kind);
}

/** The format `--format` names, for this kind of import. */
export function formatNamed(kind: ImportMapping["kind"], name: string): ImportMapping {
  const format = formatsOf(kind).find((f) => f.name === name);
  if (format) return format;
  const other = BUILT_IN_FORMATS.find((f) => f.name === name);
  const message = other
    ? `${name} is a ${other.kind} format: leadfit import ${other.kind} <file> --format ${name}`
    : `Unknown format "${name}": ${formatsOf(kind)
        .map((f) => f.name)
        .join(", ")}`;
  throw new AppError("usage", message, message);
}
