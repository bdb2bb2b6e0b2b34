import Module, { createRequire } from "node:module";
import type * as Bolt from "@slack/bolt";
import type * as SlackOAuth from "@slack/oauth";

// Slack's packages are CommonJS, loaded with require: see "CommonJS packages" in the README's
// Footprint. Bolt's own files rather than its index, which also loads Express (for the
// ExpressReceiver) and AWS Lambda's receiver, neither used here.
const require = createRequire(import.meta.url);
const boltFile = (file: string) => require.resolve(`@slack/bolt/dist/${file}`);

/**
 * Modules Bolt's App and HTTP receiver require as they load but use only given options Leadfit
 * never passes (it hands App its receiver, and builds its own installer): the Socket Mode receiver
 * with the Socket Mode client and undici, and the OAuth package with jsonwebtoken and semver. About
 * 200 modules, a fifth of every start. Bolt gets placeholders; the real modules load on first use.
 */
const LATER = {
  socketModeReceiver: boltFile("receivers/SocketModeReceiver.js"),
  oauth: createRequire(boltFile("receivers/HTTPReceiver.js")).resolve("@slack/oauth"),
};
const PLACEHOLDER = Symbol.for("leadfit.placeholder");

for (const path of Object.values(LATER)) {
  if (require.cache[path]) continue;
  const placeholder = new Module(path);
  placeholder.loaded = true;
  // Fails loudly should a new Bolt use the module after all.
  placeholder.exports = new Proxy(
    {},
    {
      get(_target, name) {
        if (name === PLACEHOLDER) return true;
        // Asked by TypeScript's import helpers as the module is required.
        if (name === "__esModule") return undefined;
        throw new Error(`${path} is used by Bolt but was left to load later`);
      },
    },
  );
  require.cache[path] = placeholder;
}

/** The module at `path`, loaded in place of its placeholder. */
function loadLater<T>(path: string): T {
  if (require.cache[path]?.exports[PLACEHOLDER]) delete require.cache[path];
  return require(path);
}

export const App: typeof Bolt.App = require(boltFile("App.js")).default;
export const HTTPReceiver: typeof Bolt.HTTPReceiver = require(
  boltFile("receivers/HTTPReceiver.js"),
).default;

/** Bolt's Socket Mode receiver (and client), loaded on first use. */
export function socketModeReceiver(): typeof Bolt.SocketModeReceiver {
  return loadLater<{ default: typeof Bolt.SocketModeReceiver }>(LATER.socketModeReceiver).default;
}

/** Slack's OAuth installer, loaded on first use. */
export function installProvider(): typeof SlackOAuth.InstallProvider {
  return loadLater<typeof SlackOAuth>(LATER.oauth).InstallProvider;
}
