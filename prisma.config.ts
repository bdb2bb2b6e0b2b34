import { defineConfig } from "prisma/config";

// The Prisma CLI is used only to generate the client; migrations run through src/db/migrations.
export default defineConfig({
  schema: "prisma/schema.prisma",
});
