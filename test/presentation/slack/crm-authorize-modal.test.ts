import type { InputBlock, PlainTextInput, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { MAX_PUBLIC_URL } from "../../../src/domain/crm-oauth-state.ts";
import {
  crmAuthorizeLinkModal,
  crmAuthorizeModal,
} from "../../../src/presentation/slack/crm-authorize-modal.ts";
import { ACTIONS, INPUTS, VIEWS } from "../../../src/presentation/slack/ids.ts";
import { expectWithinSlackLimits } from "../../support/block-kit-limits.ts";
import { expectEscaped, NOW, NOW_TOKEN } from "./fixtures.ts";

describe("the CRM authorize modals", () => {
  it("asks Leadfit's public address, starting from the one given, for the CRM in the metadata", () => {
    const view = crmAuthorizeModal("salesforce", "https://leadfit.example.com");
    expectWithinSlackLimits(view);
    expect(view).toMatchObject({
      callback_id: VIEWS.crmAuthorize,
      private_metadata: "salesforce",
      title: { text: "Authorize Salesforce" },
    });
    const input = view.blocks.find((b) => b.block_id === INPUTS.crmPublicUrl) as InputBlock;
    expect(input.element).toMatchObject({
      action_id: INPUTS.crmPublicUrl,
      initial_value: "https://leadfit.example.com",
      max_length: MAX_PUBLIC_URL,
    });
    const tooLong = crmAuthorizeModal("hubspot", `https://x.test/${"a".repeat(MAX_PUBLIC_URL)}`);
    const element = (tooLong.blocks[1] as InputBlock).element as PlainTextInput;
    expect(element.initial_value).toHaveLength(MAX_PUBLIC_URL);
  });

  it("shows the redirect URL to register, a link button to the CRM's page and when it expires, escaped", () => {
    const address = "https://leadfit.example.com/<script>alert('x')</script>&";
    const view = crmAuthorizeLinkModal({
      kind: "hubspot",
      url: "https://app.hubspot.com/oauth/authorize?client_id=c&state=s",
      redirectUri: `${address}/crm/hubspot/oauth/callback`,
      publicUrl: address,
      expiresAt: NOW,
    });
    expectWithinSlackLimits(view);
    expectEscaped(view);
    const [register, open] = view.blocks as SectionBlock[];
    expect(register?.text?.text).toContain("HubSpot app's *Auth* settings");
    expect(open?.text?.text).toContain(`expires in 10 minutes (${NOW_TOKEN})`);
    expect(open?.accessory).toMatchObject({
      action_id: ACTIONS.crmAuthorizeOpen,
      url: "https://app.hubspot.com/oauth/authorize?client_id=c&state=s",
      text: { text: "Open HubSpot" },
    });
    expect(view).not.toHaveProperty("submit");
  });
});
