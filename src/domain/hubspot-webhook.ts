import { z } from "zod";

/**
 * One event of a HubSpot webhook delivery, as HubSpot's Webhooks API reference ("Webhook
 * payloads") describes it: CRM object events name the object by id only. Merge events (developer
 * changelog, "New subscription types for webhooks") also carry the surviving and merged ids.
 * Generic subscriptions ("object.creation", …) name the object type by `objectTypeId`.
 */
export const hubspotWebhookEventSchema = z.looseObject({
  eventId: z.number().int(),
  subscriptionId: z.number().int().optional(),
  portalId: z.number().int().positive(),
  appId: z.number().int().optional(),
  occurredAt: z.number().int(),
  subscriptionType: z.string().regex(/^\w+\.\w+$/, "a subscription type like contact.creation"),
  attemptNumber: z.number().int().optional(),
  objectId: z.number().int().positive(),
  objectTypeId: z.string().optional(),
  changeSource: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  primaryObjectId: z.number().int().positive().optional(),
  newObjectId: z.number().int().positive().optional(),
  mergedObjectIds: z.array(z.number().int().positive()).optional(),
});
export type HubSpotWebhookEvent = z.infer<typeof hubspotWebhookEventSchema>;

/** HubSpot sends at most 100 events a request; the bound only refuses what HubSpot never sends. */
export const hubspotWebhookDeliverySchema = z.array(hubspotWebhookEventSchema).min(1).max(1000);

export type HubSpotChangeObject = "contacts" | "deals";

/** An object a webhook said changed, to fetch by id. */
export interface HubSpotChange {
  objectType: HubSpotChangeObject;
  objectId: string;
  /** A deletion event named it: if HubSpot no longer has it, it was deleted (not merged). */
  deleted: boolean;
  /**
   * A contact.privacyDeletion named it: deleted in HubSpot to comply with privacy law, for good
   * (no archive or search shows it again), so Leadfit erases the person's data too.
   */
  privacyDeleted: boolean;
}

/** The legacy subscription's object (`contact.creation`) or the generic one's type id (`0-1`). */
const OBJECT_OF: Record<string, HubSpotChangeObject> = {
  contact: "contacts",
  deal: "deals",
  "0-1": "contacts",
  "0-3": "deals",
};

const DELETIONS = new Set(["deletion", "privacyDeletion"]);

/**
 * The contacts and deals a delivery's events name, by portal; events of other objects (companies,
 * tickets, …) name nothing Leadfit keeps. A merge names the survivor and every merged id: the
 * survivor read by id lists them, and the merge folds as the sync folds it.
 */
export function hubspotChanges(
  events: readonly HubSpotWebhookEvent[],
): Map<number, HubSpotChange[]> {
  const byPortal = new Map<number, HubSpotChange[]>();
  for (const event of events) {
    const [subject = "", action = ""] = event.subscriptionType.split(".");
    const objectType = OBJECT_OF[subject === "object" ? (event.objectTypeId ?? "") : subject];
    if (!objectType) continue;
    const ids = new Set(
      [
        event.objectId,
        event.primaryObjectId,
        event.newObjectId,
        ...(event.mergedObjectIds ?? []),
      ].filter((id) => id !== undefined),
    );
    const changes = byPortal.get(event.portalId) ?? [];
    for (const id of ids)
      changes.push({
        objectType,
        objectId: String(id),
        deleted: DELETIONS.has(action),
        privacyDeleted: objectType === "contacts" && action === "privacyDeletion",
      });
    byPortal.set(event.portalId, changes);
  }
  return byPortal;
}
