export interface ContextNote {
  id: string;
  /** ISO week, e.g. "2026-W47". */
  week: string;
  text: string;
  author: string;
  campaignKey: string | null;
  metricKey: string | null;
  permalink: string | null;
  createdAt: Date;
}
