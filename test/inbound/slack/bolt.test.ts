import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

// In a process of its own: the test runner's process may have loaded these modules already.
const PROBE = `
import { createRequire } from "node:module";
const loaded = () => Object.keys(createRequire(import.meta.url).cache);
const has = (part) => loaded().some((path) => path.includes(part));
const bolt = await import("./src/inbound/slack/bolt.ts");
const before = { app: typeof bolt.App, http: typeof bolt.HTTPReceiver, socketMode: has("/@slack/socket-mode/"), undici: has("/undici/"), oauth: has("/jsonwebtoken/") };
const socketMode = bolt.socketModeReceiver();
const installer = bolt.installProvider();
const after = { socketMode: has("/@slack/socket-mode/"), oauth: has("/jsonwebtoken/"), receiver: socketMode.name, installer: installer.name };
console.log(JSON.stringify({ before, after }));
`;

describe("Bolt's modules", () => {
  it("load without the Socket Mode client and the OAuth package, each loading on first use", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", PROBE],
      { cwd: ROOT },
    );
    expect(JSON.parse(stdout)).toEqual({
      before: { app: "function", http: "function", socketMode: false, undici: false, oauth: false },
      after: {
        socketMode: true,
        oauth: true,
        receiver: "SocketModeReceiver",
        installer: "InstallProvider",
      },
    });
  });
});
