-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "firstVerdictAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "lead_workspaceId_firstVerdictAt_createdAt_idx" ON "lead"("workspaceId", "firstVerdictAt", "createdAt");

-- The leads judged before this migration.
UPDATE "lead" SET "firstVerdictAt" = "first"."givenAt"
FROM (SELECT "leadId", min("givenAt") AS "givenAt" FROM "lead_feedback" GROUP BY "leadId") AS "first"
WHERE "first"."leadId" = "lead"."id";

-- Every verdict keeps it: a new one, and one moved to another lead (CRM records merged). Verdicts
-- are never deleted but with their lead, so the first verdict's time only ever moves earlier.
-- The body is an escape string, its semicolons written \073: the migration runner splits a script
-- at every semicolon, dollar quotes or not.
CREATE FUNCTION "lead_keep_first_verdict"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "lead" SET "firstVerdictAt" = NEW."givenAt"
  WHERE "id" = NEW."leadId" AND ("firstVerdictAt" IS NULL OR "firstVerdictAt" > NEW."givenAt")\073
  RETURN NULL\073
END';

CREATE TRIGGER "lead_feedback_keeps_first_verdict"
AFTER INSERT OR UPDATE OF "leadId", "givenAt" ON "lead_feedback"
FOR EACH ROW EXECUTE FUNCTION "lead_keep_first_verdict"();
