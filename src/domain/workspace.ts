/** A KPI or the North Star: a metric of the catalogue, with an optional weekly target. */
export interface TrackedMetric {
  metricKey: string;
  weeklyTarget: number | null;
}

export interface Webhook {
  url: string;
  secret: string;
}

/** The North Star and the KPIs. */
export interface TrackedMetrics {
  northStar: TrackedMetric | null;
  kpis: TrackedMetric[];
}

/** The settings an admin edits in Slack. */
export interface WorkspaceSettings extends TrackedMetrics {
  /** IANA zone that defines "this week" everywhere. */
  timezone: string;
  currency: string;
  salesChannelId: string | null;
  marketingChannelId: string | null;
  salesTeam: string[];
  marketingTeam: string[];
  reviewSlaHours: number;
  needsContextThresholdPct: number;
  /** Days after a cohort's end before its hindsight figures are mature (no longer provisional). */
  conversionWindowDays: number;
  /** Hindsight per sales rep: sensitive, so off until an admin turns it on; shown to admins only. */
  hindsightPerRep: boolean;
  /** Admins added in settings (besides the installer, LEADFIT_ADMINS and Slack's own admins). */
  admins: string[];
}

/** One Slack team and its settings. */
export interface Workspace extends Omit<WorkspaceSettings, "timezone"> {
  id: string;
  name: string;
  active: boolean;
  /** Null until set or learned from Slack. */
  timezone: string | null;
  installedBy: string | null;
  webhook: Webhook | null;
}

export const DEFAULT_TIMEZONE = "UTC";

/**
 * Extra admins a workspace can have: more than a real admin group, and as many as the settings
 * modal can show preselected, so re-saving it never drops one.
 */
export const MAX_ADMINS = 100;

export function workspaceTimezone(workspace: Pick<Workspace, "timezone">): string {
  return workspace.timezone ?? DEFAULT_TIMEZONE;
}
