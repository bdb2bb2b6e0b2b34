-- A race could leave several versions active: keep the newest active, supersede the others, so the
-- index can be built.
UPDATE "agreed_definition" AS older SET state = 'superseded'
WHERE older.state = 'active' AND EXISTS (
  SELECT 1 FROM "agreed_definition" AS newer
  WHERE newer."workspaceId" = older."workspaceId" AND newer.state = 'active' AND newer.version > older.version
);

-- CreateIndex
CREATE UNIQUE INDEX "agreed_definition_one_active" ON "agreed_definition"("workspaceId") WHERE (state = 'active');
