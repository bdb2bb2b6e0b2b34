import { type CrmConnectionSummary, requireEncryptionKey } from "../domain/crm-connection.ts";
import { requireCrmApp } from "../outbound/crm/crm-app.ts";
import { readPrivateKey, salesforceJwtSession } from "../outbound/crm/oauth.ts";
import { type ConnectCrmDeps, connectCrm } from "./connect-crm.ts";

/**
 * Connects a workspace to Salesforce with the JWT bearer flow (server to server): a JWT signed
 * with the private key gets an access token for the pre-authorized user, and the key is sealed
 * with the connection to get the next one when that expires (the flow has no refresh token).
 */
export async function connectSalesforceWithJwt(
  deps: ConnectCrmDeps,
  input: {
    workspaceId: string;
    username: string;
    privateKey: string;
    backfillDays?: number;
    connectedBy: string;
  },
): Promise<CrmConnectionSummary> {
  const { crm } = deps.config;
  requireEncryptionKey(crm.encryptionKey);
  readPrivateKey(input.privateKey);
  const session = await salesforceJwtSession({
    loginUrl: crm.salesforce.loginUrl,
    clientId: requireCrmApp(crm, "salesforce").clientId,
    username: input.username,
    privateKey: input.privateKey,
    now: deps.now(),
  });
  return connectCrm(deps, {
    workspaceId: input.workspaceId,
    credentials: {
      kind: "salesforce",
      flow: "jwt",
      instanceUrl: session.instanceUrl,
      accessToken: session.accessToken,
      username: input.username,
      privateKey: input.privateKey,
    },
    ...(input.backfillDays !== undefined ? { backfillDays: input.backfillDays } : {}),
    connectedBy: input.connectedBy,
  });
}
