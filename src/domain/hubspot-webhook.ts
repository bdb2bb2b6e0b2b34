import { z } from "zod";

/**
 * What every event of a HubSpot webhook delivery carries, whatever its type, as HubSpot's Webhooks
 * API reference ("Webhook payloads") describes it. Only this much is required of an event
 * Leadfit does not handle: an association change, say, names no `objectId` (it has `fromObjectId`
 * and `toObjectId`), and refusing it would refuse the good events sent with it.
 */
export const hubspotWebhookEnvelopeSchema = z.looseObject({
  eventId: z.number().int(),
  subscriptionId: z.number().int().optional(),
  portalId: z.number().int().positive(),
  appId: z.number().int().optional(),
  occurredAt: z.number().int(),
  subscriptionType: z.string().min(1),
  attemptNumber: z.number().int().optional(),
});
type HubSpotWebhookEnvelope = z.infer<typeof hubspotWebhookEnvelopeSchema>;

/**
 * One event of a type Leadfit handles: CRM object events name the object by id only. Merge events
 * (developer changelog, "New subscription types for webhooks") also carry the surviving and
 * merged ids. Generic subscriptions ("object.creation", …) name the object type by `objectTypeId`.
 */
export const hubspotWebhookEventSchema = hubspotWebhookEnvelopeSchema.extend({
  subscriptionType: z.string().regex(/^\w+\.\w+$/, "a subscription type like contact.creation"),
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

/** A delivery's events of the types Leadfit handles, and how many of each other type it ignored. */
export interface HubSpotWebhookDelivery {
  events: HubSpotWebhookEvent[];
  ignored: Record<string, number>;
}

/**
 * A delivery: an array of events (HubSpot sends at most 100 a request; the bound only refuses what
 * HubSpot never sends). Every event needs its envelope; an event of a type Leadfit handles is
 * checked in full, one of any other type is counted and left out.
 */
export const hubspotWebhookDeliverySchema = z
  .array(hubspotWebhookEnvelopeSchema)
  .min(1)
  .max(1000)
  .transform((envelopes, ctx): HubSpotWebhookDelivery => {
    const delivery: HubSpotWebhookDelivery = { events: [], ignored: {} };
    envelopes.forEach((envelope, index) => {
      if (!handledObjectType(envelope)) {
        const type = envelope.subscriptionType;
        delivery.ignored[type] = (delivery.ignored[type] ?? 0) + 1;
        return;
      }
      const event = hubspotWebhookEventSchema.safeParse(envelope);
      if (event.success) delivery.events.push(event.data);
      else
        for (const issue of event.error.issues)
          ctx.addIssue({
            code: "custom",
            message: issue.message,
            path: [index, ...issue.path],
            input: envelope,
          });
    });
    return delivery;
  });

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

/**
 * The legacy subscription's object (`contact.creation`) or the generic one's type id (`0-1`). A
 * map, so that a name an object inherits (`constructor.creation`) names no object.
 */
const OBJECT_OF = new Map<string, HubSpotChangeObject>([
  ["contact", "contacts"],
  ["deal", "deals"],
  ["0-1", "contacts"],
  ["0-3", "deals"],
]);

const DELETIONS = new Set(["deletion", "privacyDeletion"]);
/** What Leadfit does with a contact or deal event; association changes, say, change nothing it keeps. */
const HANDLED_ACTIONS = new Set(["creation", "propertyChange", "merge", "restore", ...DELETIONS]);

/** The object a handled event names, or nothing for an event type Leadfit does not handle. */
function handledObjectType(event: HubSpotWebhookEnvelope): HubSpotChangeObject | undefined {
  const [subject = "", action = ""] = event.subscriptionType.split(".");
  if (!HANDLED_ACTIONS.has(action)) return undefined;
  const objectTypeId = typeof event.objectTypeId === "string" ? event.objectTypeId : "";
  return OBJECT_OF.get(subject === "object" ? objectTypeId : subject);
}

/**
 * The contacts and deals a delivery's handled events name, by portal. A merge names the survivor
 * and every merged id: the survivor read by id lists them, and the merge folds as the sync folds it.
 */
export function hubspotChanges(
  events: readonly HubSpotWebhookEvent[],
): Map<number, HubSpotChange[]> {
  const byPortal = new Map<number, HubSpotChange[]>();
  for (const event of events) {
    const objectType = handledObjectType(event);
    if (!objectType) continue;
    const [, action = ""] = event.subscriptionType.split(".");
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
