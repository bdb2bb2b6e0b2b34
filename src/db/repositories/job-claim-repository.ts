import type { Db } from "../client-or-transaction.ts";

/** Named claims shared by every replica: the first to claim a key does the job. */
export class JobClaimRepository {
  constructor(private readonly db: Db) {}

  /** True for the one caller that claimed `key`; false when it was claimed already. */
  async claim(key: string, expiresAt: Date): Promise<boolean> {
    await this.db.jobClaim.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    const { count } = await this.db.jobClaim.createMany({
      data: [{ key, expiresAt }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  /** Gives a claim up, so that the next caller does the job (this one could not). */
  async release(key: string): Promise<void> {
    await this.db.jobClaim.deleteMany({ where: { key } });
  }
}
