import type { ImportMappingText } from "../mapping.ts";

// The ad platforms' and analytics' reports: one row per day (or week) and campaign, a column per
// metric. Each column is a metric of the catalogue or listed as not imported; the platforms'
// own "leads" and "conversions" (form fills, tracked actions) are metrics of their own, never the
// CRM's `leads`.

const PLATFORM_LEADS = {
  key: "platform_leads",
  label: "Platform form leads",
  unit: "count",
  stage: "lead",
  goal: "find",
  direction: "higher",
  aggregation: "sum",
  owner: null,
} as const;

const PLATFORM_CONVERSIONS = {
  ...PLATFORM_LEADS,
  key: "platform_conversions",
  label: "Platform conversions",
};

/** Google Ads > Reports > Campaigns, downloaded as CSV or "Excel CSV" (UTF-16, tabs). */
export const googleAds: ImportMappingText = {
  name: "google-ads",
  label: "Google Ads campaign report",
  kind: "metrics",
  source: "google_ads",
  columns: { day: ["Day", "Date"], week: ["Week"], campaign: ["Campaign"] },
  metrics: {
    Cost: "spend",
    "Impr.": "impressions",
    Impressions: "impressions",
    Clicks: "clicks",
    Conversions: "platform_conversions",
    "Video views": "video_views",
    "Campaign status": null,
    "Campaign state": null,
    "Campaign type": null,
    "Currency code": null,
    CTR: null,
    "Avg. CPC": null,
    "Cost / conv.": null,
    "Conv. rate": null,
  },
  define: [PLATFORM_CONVERSIONS],
  rows: { totals: ["^Total:"], footer: [] },
};

/** LinkedIn Campaign Manager > Analyze > Export: campaign performance, by day. */
export const linkedinAds: ImportMappingText = {
  name: "linkedin-ads",
  label: "LinkedIn Campaign Manager export",
  kind: "metrics",
  source: "linkedin_ads",
  columns: { day: ["Start Date (in UTC)", "Start Date"], campaign: ["Campaign Name"] },
  metrics: {
    "Total Spent": "spend",
    Impressions: "impressions",
    Clicks: "clicks",
    Leads: "platform_leads",
    "Total Engagements": "engagements",
    "Video Views": "video_views",
    "Account Name": null,
    "Campaign Group Name": null,
    "Campaign ID": null,
    "Campaign Type": null,
    "Campaign Status": null,
    Currency: null,
    "Click Through Rate": null,
    "Average CPM": null,
    "Average CPC": null,
    "Lead Forms Opened": null,
  },
  define: [PLATFORM_LEADS],
};

/**
 * GA4 > Reports > Acquisition > Traffic acquisition, shared as CSV: `#` comment lines around
 * the table, dates as 20261116, one row per channel group and day. Channel groups are not
 * campaigns: sessions add up to the company's daily sessions.
 */
export const ga4: ImportMappingText = {
  name: "ga4",
  label: "GA4 traffic acquisition export",
  kind: "metrics",
  source: "ga4",
  columns: { day: ["Date"] },
  metrics: {
    Sessions: "sessions",
    "Session primary channel group (Default Channel Group)": null,
    "Session default channel group": null,
    "Engaged sessions": null,
    "Engagement rate": null,
    "Average engagement time per session": null,
    "Events per session": null,
    "Event count": null,
    "Key events": null,
    "Total revenue": null,
  },
  rows: { comment: "#", totals: ["^Grand total"], footer: [] },
};
