import { describe, expect, it } from "vitest";
import {
  type HubSpotChange,
  type HubSpotWebhookEvent,
  hubspotChanges,
  hubspotWebhookDeliverySchema,
} from "../../src/domain/hubspot-webhook.ts";

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

/** Where and why a delivery is refused: each problem's path (event index first) and message. */
const problems = (events: unknown) =>
  hubspotWebhookDeliverySchema
    .safeParse(events)
    .error?.issues.map((issue) => ({ path: issue.path, message: issue.message }));

describe("a HubSpot webhook delivery", () => {
  it("keeps every contact and deal event of a type Leadfit handles, with all it carries", () => {
    const handled = [
      event("contact.creation"),
      event("contact.propertyChange", {
        propertyName: "lifecyclestage",
        propertyValue: "customer",
        changeSource: "CRM_UI",
        sourceId: "userId:1",
      }),
      event("deal.deletion", { objectId: 601 }),
      event("contact.merge", { primaryObjectId: 501, newObjectId: 503, mergedObjectIds: [502] }),
      event("contact.privacyDeletion"),
      event("object.restore", { objectTypeId: "0-3" }),
      event("object.creation", { objectTypeId: "0-1" }),
    ];
    expect(delivery(handled)).toEqual({ events: handled, ignored: {} });
  });

  it("counts the events of other types by type, checking no more than their envelope", () => {
    const { objectId: _, ...association } = event("contact.associationChange", {
      fromObjectId: 501,
      toObjectId: 601,
    });
    expect(
      delivery([
        association,
        event("contact.creation"),
        association,
        event("company.creation", { objectId: -1 }),
        event("object.creation", { objectTypeId: "0-2" }),
        event("object.propertyChange"),
        event("deal"),
      ]),
    ).toEqual({
      events: [event("contact.creation")],
      ignored: {
        "contact.associationChange": 2,
        "company.creation": 1,
        "object.creation": 1,
        "object.propertyChange": 1,
        deal: 1,
      },
    });
  });

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

  it("refuses a handled event's every problem, each under the event's index and field", () => {
    const { objectId: _, ...noObject } = event("deal.creation");
    expect(
      problems([
        event("contact.creation"),
        noObject,
        event("contact.merge", { mergedObjectIds: [502, -3], propertyValue: 7 }),
        event("contact.creation.extra"),
      ]),
    ).toEqual([
      { path: [1, "objectId"], message: expect.any(String) },
      { path: [2, "propertyValue"], message: expect.any(String) },
      { path: [2, "mergedObjectIds", 1], message: expect.any(String) },
      { path: [3, "subscriptionType"], message: "a subscription type like contact.creation" },
    ]);
  });

  it.each([
    ["a portal", { portalId: undefined }, "portalId"],
    ["a positive portal", { portalId: 0 }, "portalId"],
    ["a whole-number event id", { eventId: 1.5 }, "eventId"],
    ["a time it occurred", { occurredAt: "2026-11-16" }, "occurredAt"],
    ["a subscription type", { subscriptionType: "" }, "subscriptionType"],
  ])("refuses an event of any type without %s", (_, more, field) => {
    const unhandled = event("contact.associationChange", more);
    expect(problems([event("contact.creation"), unhandled])?.map((p) => p.path)).toEqual([
      [1, field],
    ]);
  });

  it("takes 1 to 1000 events, in an array", () => {
    const many = (count: number) => Array.from({ length: count }, () => event("contact.creation"));
    expect(delivery(many(1000)).events).toHaveLength(1000);
    expect(problems(many(1001))).toHaveLength(1);
    expect(problems([])).toHaveLength(1);
    expect(problems({ events: many(1) })).toHaveLength(1);
  });
});

describe("the contacts and deals a delivery names", () => {
  const change = (objectType: HubSpotChange["objectType"], objectId: string, deleted = false) => ({
    objectType,
    objectId,
    deleted,
    privacyDeleted: false,
  });
  const changes = (events: ReturnType<typeof event>[]) =>
    hubspotChanges(events as HubSpotWebhookEvent[]);

  it("are listed by portal, each object by its id as text", () => {
    expect(
      changes([
        event("contact.creation"),
        event("deal.propertyChange", { portalId: 7, objectId: 601 }),
        event("object.creation", { objectTypeId: "0-3", objectId: 602 }),
        event("object.propertyChange", { objectTypeId: "0-1", objectId: 504 }),
      ]),
    ).toEqual(
      new Map([
        [62515, [change("contacts", "501"), change("deals", "602"), change("contacts", "504")]],
        [7, [change("deals", "601")]],
      ]),
    );
  });

  it("are marked deleted for a deletion, and erased for good only for a contact's privacy deletion", () => {
    expect(
      changes([
        event("contact.deletion"),
        event("deal.deletion", { objectId: 601 }),
        event("deal.privacyDeletion", { objectId: 602 }),
        event("contact.restore", { objectId: 502 }),
        event("contact.privacyDeletion", { objectId: 503 }),
      ]).get(62515),
    ).toEqual([
      change("contacts", "501", true),
      change("deals", "601", true),
      change("deals", "602", true),
      change("contacts", "502"),
      { ...change("contacts", "503", true), privacyDeleted: true },
    ]);
  });

  it("name a merge's survivor and every merged id, each once", () => {
    expect(
      changes([
        event("contact.merge", {
          primaryObjectId: 501,
          newObjectId: 503,
          mergedObjectIds: [502, 501],
        }),
      ]).get(62515),
    ).toEqual([change("contacts", "501"), change("contacts", "503"), change("contacts", "502")]);
  });

  it("leave out an event of a type Leadfit does not handle", () => {
    expect(changes([event("company.creation"), event("contact.associationChange")])).toEqual(
      new Map(),
    );
  });
});
