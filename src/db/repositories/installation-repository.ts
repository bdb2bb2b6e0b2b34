import type { Installation, InstallationQuery } from "@slack/oauth";
import { atomically, type Db } from "../client-or-transaction.ts";
import { AuditRepository } from "./audit-repository.ts";

function installationId(query: {
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
  isEnterpriseInstall?: boolean;
}): string {
  const id = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!id)
    throw new Error("an installation needs a team id, or an enterprise id for org-wide installs");
  return id;
}

/** OAuth installations (multi-workspace mode), with the Bolt installation kept whole. */
export class InstallationRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores an installation (a re-install refreshes its tokens) and makes its workspace active. The
   * first installer becomes an admin; anyone who re-runs the OAuth flow later gains nothing by it:
   * any member may authorize the app again, so that must not move admin rights.
   */
  async save(installation: Installation): Promise<void> {
    const teamId = installation.team?.id;
    const id = installationId({
      enterpriseId: installation.enterprise?.id,
      teamId,
      isEnterpriseInstall: installation.isEnterpriseInstall,
    });
    const data = JSON.parse(JSON.stringify(installation));
    await atomically(this.db, async (tx) => {
      let firstInstall = false;
      if (teamId) {
        await tx.workspace.createMany({
          data: [{ id: teamId, name: installation.team?.name ?? teamId }],
          skipDuplicates: true,
        });
        await tx.workspace.update({
          where: { id: teamId },
          data: { active: true, deactivatedAt: null },
        });
        const claimed = await tx.workspace.updateMany({
          where: { id: teamId, installedBy: null },
          data: { installedBy: installation.user.id },
        });
        firstInstall = claimed.count === 1;
      }
      await tx.installation.upsert({
        where: { id },
        create: {
          id,
          workspaceId: teamId ?? null,
          enterpriseId: installation.enterprise?.id ?? null,
          botUserId: installation.bot?.userId ?? null,
          installerUserId: installation.user.id,
          data,
        },
        update: { botUserId: installation.bot?.userId ?? null, data },
      });
      if (teamId) {
        const action = firstInstall ? "app.installed" : "app.reinstalled";
        await new AuditRepository(tx).record(teamId, installation.user.id, action, {});
      }
    });
  }

  async find(query: InstallationQuery<boolean>): Promise<Installation | undefined> {
    const row = await this.db.installation.findUnique({
      where: { id: installationId(query) },
      select: { data: true },
    });
    return row ? (row.data as unknown as Installation) : undefined;
  }

  /** The installation whose bot works in this workspace: its own, or its enterprise's. */
  async forWorkspace(workspaceId: string): Promise<Installation | undefined> {
    const row = await this.db.installation.findFirst({
      where: { OR: [{ id: workspaceId }, { workspaceId }] },
      select: { data: true },
    });
    return row ? (row.data as unknown as Installation) : undefined;
  }

  /**
   * The app left a workspace (uninstalled, or its tokens revoked): the workspace is deactivated
   * (its schedules stop with it) and its installation, holding the tokens, deleted; both or neither.
   */
  async uninstall(
    query: { teamId: string; enterpriseId?: string | undefined },
    at: Date,
  ): Promise<void> {
    await atomically(this.db, async (tx) => {
      await tx.workspace.updateMany({
        where: { id: query.teamId },
        data: { active: false, deactivatedAt: at },
      });
      await tx.installation.deleteMany({
        where: { id: installationId({ ...query, isEnterpriseInstall: false }) },
      });
    });
  }

  async delete(query: InstallationQuery<boolean>): Promise<void> {
    await this.db.installation.deleteMany({ where: { id: installationId(query) } });
  }
}
