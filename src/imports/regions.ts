import { countries } from "countries-list";
import isoCountries from "i18n-iso-countries";

// A country as exports write it ("United States", "Deutschland", "DE", "DEU") → the continent
// it is on (NA, SA, EU, AS, AF, OC, AN), from the country-code libraries, not a hand-typed list.

const LANGUAGES = ["en", "de", "fr", "es"] as const;

/** The country's ISO 3166 alpha-2 code, or undefined when the name is no country. */
export function countryCode(name: string): string | undefined {
  const text = name.trim();
  if (/^[A-Za-z]{2}$/.test(text) && isoCountries.isValid(text.toUpperCase()))
    return text.toUpperCase();
  if (/^[A-Za-z]{3}$/.test(text) && isoCountries.isValid(text.toUpperCase()))
    return isoCountries.alpha3ToAlpha2(text.toUpperCase());
  for (const language of LANGUAGES) {
    const code = isoCountries.getAlpha2Code(text, language);
    if (code) return code;
  }
  return undefined;
}

/** Exports repeat a handful of countries over many rows: each is looked up once. */
const continents = new Map<string, string | undefined>();

/** The continent code of a country, or undefined when it is no country. */
export function continentOf(name: string): string | undefined {
  if (continents.has(name)) return continents.get(name);
  const code = countryCode(name);
  const continent = code ? countries[code as keyof typeof countries]?.continent : undefined;
  continents.set(name, continent);
  return continent;
}
