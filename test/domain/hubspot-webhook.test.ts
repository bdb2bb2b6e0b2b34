import { describe, expect, it } from "vitest";
import { hubspotWebhookDeliverySchema } from "../../src/domain/hubspot-webhook.ts";

/** One event as HubSpot sends it: the envelope and the object it names. */
const event = (subscriptionType: string, more: Record<string, unknown> = {}) => ({
  eventId: 100,
  subscriptionId: 7,
  portalId: 62515,
  appId: 4,
  occurredAt: 1_795_000_000_000,
  subscriptionType,
  attemptNumber: 0,
  objectId: 501,
  ...more,
});

const delivery = (events: unknown) => hubspotWebhookDeliverySchema.parse(events);

describe("a HubSpot webhook delivery's event types", () => {
  it.each([
    ["constructor.creation", undefined],
    ["toString.propertyChange", undefined],
    ["object.creation", "constructor"],
  ])(
    "counts %s (objectTypeId %s), a name every object inherits, as a type it does not handle",
    (type, objectTypeId) => {
      expect(delivery([event(type, { objectTypeId })])).toEqual({
        events: [],
        ignored: { [type]: 1 },
      });
    },
  );
});
