export interface Campaign {
  id: string;
  key: string;
  name: string;
  /** paid search, social, events, email, content, video, … */
  channel: string | null;
  owner: string | null;
  startsOn: string | null;
  endsOn: string | null;
  budget: number | null;
}
