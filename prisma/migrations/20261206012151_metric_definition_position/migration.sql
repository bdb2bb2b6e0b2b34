-- AlterTable
ALTER TABLE "metric_definition" ADD COLUMN     "position" SERIAL NOT NULL;
