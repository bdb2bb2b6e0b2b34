import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, INPUTS, VIEWS } from "../../src/presentation/slack/ids.ts";
import { type AppHarness, startApp } from "../support/app-harness.ts";
import { blockAction, textInput, viewSubmission } from "../support/slack-requests.ts";

const MARKETER = "U0MKT00001";
const SALES_LEAD = "U0SALES001";
const BUSY = /busy.*try again/i;

describe("concurrency #6: Slack says busy, try again, when the database stays deadlocked", () => {
  let h: AppHarness;
  const trigger = () => `leadfit_busy_${h.teamId.toLowerCase()}`;
  beforeAll(async () => {
    h = await startApp();
  });
  afterEach(() => h.deps.db.pool.query(`drop trigger if exists ${trigger()} on agreed_definition`));
  afterAll(async () => {
    await h.deps.db.pool.query(`drop function if exists ${trigger()}()`);
    await h.close();
  });

  /** Every write to this workspace's definitions fails as a deadlock would, on every retry. */
  const deadlockDefinitionWrites = async () => {
    await h.deps.db.pool.query(`
      create or replace function ${trigger()}() returns trigger language plpgsql as $$
      begin
        if new."workspaceId" = '${h.teamId}' then
          raise exception 'deadlock detected (simulated)' using errcode = '40P01';
        end if;
        return new;
      end $$`);
    await h.deps.db.pool.query(
      `create trigger ${trigger()} before insert or update on agreed_definition
       for each row execute function ${trigger()}()`,
    );
  };

  it("a proposal that cannot be stored comes back inline, saying to try again", async () => {
    await deadlockDefinitionWrites();
    const response = await h.send(
      viewSubmission({
        callbackId: VIEWS.definition,
        userId: MARKETER,
        teamId: h.teamId,
        values: { [INPUTS.rules]: { [INPUTS.rules]: textInput("employees >= 50") } },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      response_action: "errors",
      errors: { [INPUTS.rules]: expect.stringMatching(BUSY) },
    });
    expect(await h.deps.repos.agreedDefinitions.history(h.teamId)).toEqual([]);
  });

  it("an acceptance that cannot be stored is answered with an ephemeral busy message", async () => {
    const proposal = await h.deps.repos.agreedDefinitions.propose(
      h.teamId,
      { all: [{ field: "employees", op: ">=", value: 50 }] },
      MARKETER,
    );
    await deadlockDefinitionWrites();
    const responseUrl = h.fake.responseUrl("busy-accept");
    const click = await h.send(
      blockAction({
        actionId: ACTIONS.definitionAccept,
        value: String(proposal.version),
        userId: SALES_LEAD,
        teamId: h.teamId,
        channelId: "C0SALES001",
        messageTs: "1700000003.000100",
        responseUrl,
      }),
    );
    expect(click.status).toBe(200);
    const told = await h.fake.waitFor("response_url", (c) => c.params.url === responseUrl);
    expect(told.params.response_type).toBe("ephemeral");
    expect(String(told.params.text)).toMatch(BUSY);
    expect((await h.deps.repos.agreedDefinitions.get(h.teamId, proposal.version))?.state).toBe(
      "proposed",
    );
  });
});
