import type { Kysely } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * The last draft save of a response as its browser numbered it: a background save that reaches
 * the server after a later save from the same page view (a slow network, a retried request) is
 * recognised as older and does not overwrite what the later save stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("responses")
    .addColumn("draft_client", "text")
    .addColumn("draft_revision", "bigint")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("responses")
    .dropColumn("draft_client")
    .dropColumn("draft_revision")
    .execute();
}
