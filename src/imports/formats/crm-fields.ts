import type { ImportMappingText } from "../mapping.ts";

// What CRM exports share: the qualification fields an agreed definition asks about, and the
// country → region value map.

/** Employees are a number ("5,200"), the rest text. */
export function qualificationFields(headers: {
  country: string[];
  employees: string[];
  industry: string[];
  extra?: ImportMappingText["fields"];
}): NonNullable<ImportMappingText["fields"]> {
  return {
    country: headers.country,
    employees: { headers: headers.employees, type: "number" },
    industry: headers.industry,
    ...headers.extra,
  };
}

/** A lead's region is its country's continent (NA, SA, EU, AS, AF, OC). */
export const COUNTRY_TO_REGION: NonNullable<ImportMappingText["region"]> = {
  from: "country",
  field: "region",
};
