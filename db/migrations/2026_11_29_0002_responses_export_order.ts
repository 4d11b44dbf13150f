import type { Kysely } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * Exports read the submitted responses of a survey page by page in the order (submitted_at,
 * id), each page starting after the last response of the previous one. With the id in the
 * index, that row comparison is an index condition: a page starts where the previous one
 * ended instead of scanning every earlier response of the survey again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("responses_export_order_idx")
    .on("responses")
    .columns(["survey_id", "status", "submitted_at", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("responses_export_order_idx").execute();
}
