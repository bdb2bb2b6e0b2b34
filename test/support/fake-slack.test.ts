import { ErrorCode, LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./fake-slack.ts";

const TOKEN = "xoxb-test-token";

let fake: FakeSlack;

/** `token: null` makes a client without a token. */
function client(options: WebClientOptions = {}, token: string | null = TOKEN): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: fake.url,
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

/** No retries: an HTTP failure surfaces at once instead of after ~30 minutes of backoff. */
const noRetries: WebClientOptions = { retryConfig: { retries: 0 } };

beforeAll(async () => {
  fake = await startFakeSlack();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

describe("fake Slack Web API", () => {
  it("listens on 127.0.0.1 with an /api/ base url", () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it("records chat.postMessage with parsed blocks and the bearer token", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Weekly digest*" } }];
    const result = await client().chat.postMessage({
      channel: "C0DIGEST01",
      text: "Weekly digest",
      blocks,
      unfurl_links: false,
    });

    expect(result.ok).toBe(true);
    expect(result.channel).toBe("C0DIGEST01");
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(result.message?.blocks).toEqual(blocks);
    expect(result.message?.text).toBe("Weekly digest");

    const [call] = fake.calls("chat.postMessage");
    expect(call?.token).toBe(TOKEN);
    expect(call?.params).toEqual({
      channel: "C0DIGEST01",
      text: "Weekly digest",
      blocks,
      unfurl_links: "false",
    });
    expect(call?.at).toBeLessThanOrEqual(Date.now());
  });

  it("hands out unique, increasing message timestamps", async () => {
    const web = client();
    const first = await web.chat.postMessage({ channel: "C1", text: "one" });
    const second = await web.chat.postMessage({ channel: "C1", text: "two" });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
  });

  it("answers a DM to a user id with the DM channel id, like Slack", async () => {
    const result = await client().chat.postMessage({ channel: "U0ALICE001", text: "hi" });
    expect(result.channel).toMatch(/^D/);
  });

  it("rejects a message with neither text nor blocks (no_text) and too many blocks", async () => {
    await expect(client().chat.postMessage({ channel: "C1", text: "" })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: "no_text" },
    });
    const blocks = Array.from({ length: 51 }, () => ({ type: "divider" as const }));
    await expect(
      client().chat.postMessage({ channel: "C1", text: "x", blocks }),
    ).rejects.toMatchObject({ data: { error: "invalid_blocks" } });
  });

  it("answers the other chat methods with the fields clients read", async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: "C1", text: "hello" });
    const ts = posted.ts as string;

    const updated = await web.chat.update({ channel: "C1", ts, text: "hello again" });
    expect(updated).toMatchObject({ ok: true, channel: "C1", ts, text: "hello again" });

    const ephemeral = await web.chat.postEphemeral({ channel: "C1", user: "U1", text: "psst" });
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);

    const link = await web.chat.getPermalink({ channel: "C1", message_ts: ts });
    expect(link.permalink).toBe(
      `https://leadfit-test.slack.com/archives/C1/p${ts.replace(".", "")}`,
    );

    const deleted = await web.chat.delete({ channel: "C1", ts });
    expect(deleted).toMatchObject({ ok: true, channel: "C1", ts });
  });

  it("answers auth.test and team.info for the configured workspace", async () => {
    const auth = await client().auth.test();
    expect(auth).toMatchObject({
      ok: true,
      team_id: fake.teamId,
      team: fake.teamName,
      user_id: fake.botUserId,
      bot_id: fake.botId,
      url: "https://leadfit-test.slack.com/",
    });
    expect(auth.response_metadata?.scopes).toContain("chat:write");
    const team = await client().team.info();
    expect(team.team).toMatchObject({ id: fake.teamId, name: fake.teamName });
  });

  it("opens, updates, pushes and publishes views with id and hash", async () => {
    const web = client();
    const view = {
      type: "modal" as const,
      callback_id: "settings_modal",
      title: { type: "plain_text" as const, text: "Settings" },
      blocks: [],
    };
    const opened = await web.views.open({ trigger_id: "123.456.abc", view });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.hash).toBeTruthy();
    expect(opened.view?.callback_id).toBe("settings_modal");
    expect(fake.calls("views.open")[0]?.params.view).toEqual(view);

    const id = opened.view?.id as string;
    const updated = await web.views.update({ view_id: id, view, hash: opened.view?.hash });
    expect(updated.view?.id).toBe(id);
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    await expect(
      web.views.update({ view_id: id, view, hash: opened.view?.hash }),
    ).rejects.toMatchObject({ data: { error: "hash_conflict" } });

    const pushed = await web.views.push({ trigger_id: "123.456.def", view });
    expect(pushed.view?.id).not.toBe(id);

    const home = await web.views.publish({
      user_id: "U1",
      view: { type: "home", blocks: [] },
    });
    expect(home.view).toMatchObject({ type: "home" });
    expect(home.view?.id).toMatch(/^V/);
  });

  it("answers users.info with Europe/Berlin defaults, overridable per user", async () => {
    const web = client();
    const plain = await web.users.info({ user: "U0ALICE001" });
    expect(plain.user).toMatchObject({
      id: "U0ALICE001",
      tz: "Europe/Berlin",
      is_admin: false,
      is_owner: false,
    });
    expect([3600, 7200]).toContain(plain.user?.tz_offset);

    fake.setUser("U0BOSS0001", { is_admin: true, tz: "America/New_York" });
    const boss = await web.users.info({ user: "U0BOSS0001" });
    expect(boss.user).toMatchObject({ is_admin: true, tz: "America/New_York" });
    expect([-14400, -18000]).toContain(boss.user?.tz_offset);
  });

  it("answers conversations.info and .join, and knows not_in_channel", async () => {
    const web = client();
    const info = await web.conversations.info({ channel: "C0PUBLIC01" });
    expect(info.channel).toMatchObject({ id: "C0PUBLIC01", is_member: true, is_private: false });

    fake.setChannel("C0PRIVATE1", { is_private: true, is_member: false });
    await expect(web.conversations.join({ channel: "C0PRIVATE1" })).rejects.toMatchObject({
      data: { error: "method_not_supported_for_channel_type" },
    });

    fake.setChannel("C0OUTSIDE1", { is_member: false });
    await expect(web.chat.postMessage({ channel: "C0OUTSIDE1", text: "x" })).rejects.toMatchObject({
      data: { error: "not_in_channel" },
    });
    const joined = await web.conversations.join({ channel: "C0OUTSIDE1" });
    expect(joined.channel).toMatchObject({ id: "C0OUTSIDE1", is_member: true });
    await expect(web.chat.postMessage({ channel: "C0OUTSIDE1", text: "x" })).resolves.toMatchObject(
      { ok: true },
    );
  });

  it("stores the bytes of files.uploadV2 and records completeUploadExternal", async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
    const result = await client().files.uploadV2({
      file: bytes,
      filename: "chart.png",
      title: "Leads per week",
      channel_id: "C0DIGEST01",
      thread_ts: "1700000000.000100",
    });
    expect(result.ok).toBe(true);

    const [getUrl] = fake.calls("files.getUploadURLExternal");
    expect(getUrl?.params).toMatchObject({ filename: "chart.png", length: String(bytes.length) });
    expect(getUrl?.token).toBe(TOKEN);

    const [upload] = fake.uploads();
    expect(upload?.filename).toBe("chart.png");
    expect(upload?.fileId).toMatch(/^F/);
    expect(upload?.bytes.equals(bytes)).toBe(true);

    const [complete] = fake.calls("files.completeUploadExternal");
    expect(complete?.params).toMatchObject({
      files: [{ id: upload?.fileId, title: "Leads per week" }],
      channel_id: "C0DIGEST01",
      thread_ts: "1700000000.000100",
    });

    const info = await client().files.info({ file: upload?.fileId as string });
    expect(info.file).toMatchObject({
      id: upload?.fileId,
      mimetype: "image/png",
      name: "chart.png",
    });
  });

  it("lets WebClient retry a 429 after Retry-After, recording both calls", async () => {
    fake.failNext("chat.postMessage", { status: 429, headers: { "Retry-After": "1" } });
    const started = Date.now();
    const result = await client().chat.postMessage({ channel: "C1", text: "eventually" });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.calls("chat.postMessage")).toHaveLength(2);
  }, 15_000);

  it("rejects at once with rejectRateLimitedCalls", async () => {
    fake.failNext("chat.postMessage", { status: 429, headers: { "Retry-After": "7" } });
    await expect(
      client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: "C1", text: "x" }),
    ).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  it("surfaces a 500 as an HTTP error", async () => {
    fake.failNext("chat.postMessage", { status: 500 });
    await expect(
      client(noRetries).chat.postMessage({ channel: "C1", text: "x" }),
    ).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    expect(fake.calls("chat.postMessage")).toHaveLength(1);
  });

  it("surfaces ok:false as a platform error, then answers normally again", async () => {
    fake.failNext("chat.postMessage", { body: { ok: false, error: "not_in_channel" } });
    const web = client();
    await expect(web.chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: "not_in_channel" },
    });
    await expect(web.chat.postMessage({ channel: "C1", text: "x" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("fails only the calls a fault's `when` matches", async () => {
    fake.failNext("chat.postMessage", {
      status: 500,
      times: 5,
      when: (params) => params.channel === "C0BROKEN",
    });
    const web = client(noRetries);
    await expect(web.chat.postMessage({ channel: "C0BROKEN", text: "a" })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
    });
    await expect(web.chat.postMessage({ channel: "C0FINE", text: "b" })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.messages("C0FINE")).toHaveLength(1);
    expect(fake.messages("C0BROKEN")).toHaveLength(0);
  });

  it("keeps top-level messages for conversations.history, newest first, after `oldest`", async () => {
    const web = client();
    const first = await web.chat.postMessage({ channel: "C0HIST", text: "one" });
    await web.chat.postMessage({ channel: "C0HIST", text: "reply", thread_ts: first.ts });
    const second = await web.chat.postMessage({
      channel: "C0HIST",
      text: "two",
      metadata: { event_type: "marker", event_payload: { id: "7" } },
    });
    const all = await web.conversations.history({ channel: "C0HIST" });
    expect(all.messages?.map((m) => m.text)).toEqual(["two", "one"]);
    expect(all.messages?.[0]?.metadata).toEqual({
      event_type: "marker",
      event_payload: { id: "7" },
    });
    const newer = await web.conversations.history({ channel: "C0HIST", oldest: first.ts });
    expect(newer.messages?.map((m) => m.ts)).toEqual([second.ts]);
    expect(Number(first.ts)).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it("applies a fault `times` times in a row", async () => {
    fake.failNext("users.info", { body: { ok: false, error: "ratelimited" }, times: 2 });
    const web = client();
    await expect(web.users.info({ user: "U1" })).rejects.toThrow(/ratelimited/);
    await expect(web.users.info({ user: "U1" })).rejects.toThrow(/ratelimited/);
    await expect(web.users.info({ user: "U1" })).resolves.toMatchObject({ ok: true });
  });

  it("delays an answer long enough for a client timeout", async () => {
    fake.failNext("chat.update", { delayMs: 1_000 });
    await expect(
      client({ ...noRetries, timeout: 100 }).chat.update({ channel: "C1", ts: "1.2", text: "x" }),
    ).rejects.toMatchObject({ code: ErrorCode.RequestError });
    fake.failNext("chat.update", { delayMs: 50 });
    await expect(
      client().chat.update({ channel: "C1", ts: "1.2", text: "x" }),
    ).resolves.toMatchObject({ ok: true });
  });

  it("replaces an answer with respond(), with the default available", async () => {
    fake.respond("users.info", async (params, call, fallback) => {
      const normal = (await fallback()) as { user: Record<string, unknown> };
      return { user: { ...normal.user, real_name: `Custom ${params.user}`, token: call.token } };
    });
    const result = await client().users.info({ user: "U9" });
    expect(result.user).toMatchObject({ id: "U9", real_name: "Custom U9", tz: "Europe/Berlin" });
    expect(result.ok).toBe(true);
  });

  it("answers unknown methods and missing tokens like Slack", async () => {
    await expect(client().apiCall("leadfit.nope")).rejects.toMatchObject({
      data: { ok: false, error: "unknown_method" },
    });
    await expect(
      client({}, null).chat.postMessage({ channel: "C1", text: "x" }),
    ).rejects.toMatchObject({ data: { error: "not_authed" } });
  });

  it("answers oauth.v2.access with a bot installation, without a token", async () => {
    const result = await client({}, null).oauth.v2.access({
      client_id: "1.2",
      client_secret: "s",
      code: "abc",
    });
    expect(result).toMatchObject({
      ok: true,
      access_token: fake.botToken,
      token_type: "bot",
      bot_user_id: fake.botUserId,
      app_id: fake.appId,
      team: { id: fake.teamId, name: fake.teamName },
      enterprise: null,
      is_enterprise_install: false,
    });
    expect(result.access_token).toMatch(/^xoxb-/);
    expect(result.authed_user?.id).toBeTruthy();
    expect(result.scope).toContain("chat:write");
    expect(fake.calls("oauth.v2.access")[0]?.params).toMatchObject({ code: "abc" });
  });

  it("parses JSON bodies and takes a token from the body", async () => {
    const response = await fetch(`${fake.url}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({
        token: "xoxb-in-body",
        channel: "C1",
        blocks: JSON.stringify([{ type: "divider" }]),
        metadata: { event_type: "digest", event_payload: { week: 12 } },
      }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: "C1" });
    const [call] = fake.calls("chat.postMessage");
    expect(call?.token).toBe("xoxb-in-body");
    expect(call?.params).toEqual({
      channel: "C1",
      blocks: [{ type: "divider" }],
      metadata: { event_type: "digest", event_payload: { week: 12 } },
    });
  });

  it("waitFor resolves for past and future calls, and times out", async () => {
    const web = client();
    await web.chat.postMessage({ channel: "C1", text: "first" });
    await expect(fake.waitFor("chat.postMessage")).resolves.toMatchObject({
      params: { text: "first" },
    });

    const pending = fake.waitFor("chat.postMessage", (c) => c.params.text === "second");
    setTimeout(() => void web.chat.postMessage({ channel: "C1", text: "second" }), 20);
    await expect(pending).resolves.toMatchObject({ params: { text: "second" } });

    await expect(fake.waitFor("chat.delete", undefined, 50)).rejects.toThrow(
      /no matching chat.delete call within 50 ms/,
    );
  });

  it("records POSTs to a response_url", async () => {
    const url = fake.responseUrl();
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Saved", response_type: "ephemeral" }),
    });
    expect(response.status).toBe(200);
    const call = await fake.waitFor("response_url");
    expect(call.params).toMatchObject({ text: "Saved", response_type: "ephemeral", url });
  });

  it("forgets everything on reset()", async () => {
    fake.respond("auth.test", () => ({ team_id: "T0OTHER" }));
    fake.failNext("chat.postMessage", { status: 500 });
    fake.setUser("U1", { is_admin: true });
    await client().auth.test();
    fake.reset();
    expect(fake.calls()).toEqual([]);
    expect(fake.uploads()).toEqual([]);
    expect((await client().auth.test()).team_id).toBe(fake.teamId);
    await expect(
      client(noRetries).chat.postMessage({ channel: "C1", text: "x" }),
    ).resolves.toMatchObject({ ok: true });
    expect((await client().users.info({ user: "U1" })).user?.is_admin).toBe(false);
  });
});

describe("startFakeSlack options", () => {
  it("uses the given workspace ids", async () => {
    const other = await startFakeSlack({
      teamId: "T0OTHER001",
      teamName: "Other Co",
      botUserId: "U0OTHERBOT",
    });
    try {
      const web = new WebClient("xoxb-x", { slackApiUrl: other.url, logLevel: LogLevel.ERROR });
      const auth = await web.auth.test();
      expect(auth).toMatchObject({
        team_id: "T0OTHER001",
        team: "Other Co",
        user_id: "U0OTHERBOT",
        url: "https://other-co.slack.com/",
      });
      expect(other.url).not.toBe(fake.url);
    } finally {
      await other.close();
    }
  });

  it("enforces rate limits per token: calls per minute per method, posts per channel", async () => {
    const limited = await startFakeSlack({
      rateLimits: { perMinute: { "users.info": 2 }, perChannel: { perSecond: 1, burst: 1 } },
    });
    try {
      const web = (token: string) =>
        new WebClient(token, {
          slackApiUrl: limited.url,
          logLevel: LogLevel.ERROR,
          rejectRateLimitedCalls: true,
        });
      const a = web("xoxb-team-a");
      await a.users.info({ user: "U1" });
      await a.users.info({ user: "U1" });
      await expect(a.users.info({ user: "U1" })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: expect.any(Number),
      });
      // Another workspace has its own allowance.
      await expect(web("xoxb-team-b").users.info({ user: "U1" })).resolves.toMatchObject({
        ok: true,
      });
      await a.chat.postMessage({ channel: "C1", text: "one" });
      await expect(a.chat.postMessage({ channel: "C1", text: "two" })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: 1,
      });
      await a.chat.postMessage({ channel: "C2", text: "elsewhere" });
      expect(limited.messages("C1")).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});
