import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * What a coordinator adds to a working group's findings report before printing it.
 *
 * report_summaries: the executive summary as edited, per survey and language (the generated
 * summary is written in the reader's language, so each language has its own edit). It keeps the
 * generated text the edit started from, so that the page can tell when the figures have moved
 * on since.
 *
 * report_comments: a comment per section of the report (section ids as the report names them:
 * `findings`, `borich`, …), printed under the section's heading.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("report_summaries")
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("generated_from", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("report_summaries_pk", ["survey_id", "locale"])
    .execute();
  await db.schema
    .createTable("report_comments")
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("section", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("report_comments_pk", ["survey_id", "section"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_comments").execute();
  await db.schema.dropTable("report_summaries").execute();
}
