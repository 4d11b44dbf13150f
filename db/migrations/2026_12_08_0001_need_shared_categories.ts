import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * The shared category (surveys/shared/need-taxonomy.yaml) of each need category, per survey
 * version and need question, as the survey's versions merged for the dashboards declare it. The
 * dashboard aggregates sum need entries by shared category through it (facets `shared_need` and
 * `shared_answered`), so that the overview reads its programme-wide ranking from the aggregates.
 *
 * Filled by the application (it is derived from the stored definitions and the taxonomy file):
 * at start, and whenever a version is added or published. A database migrated here has an empty
 * table; the next start fills it and counts the shared categories of the stored responses.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("need_shared_categories")
    .addColumn("survey_version_id", "integer", (c) =>
      c.notNull().references("survey_versions.id").onDelete("cascade"),
    )
    .addColumn("question_key", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("shared", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("need_shared_categories_pk", [
      "survey_version_id",
      "question_key",
      "code",
    ])
    .execute();
  await sql`create index need_shared_categories_survey_idx on need_shared_categories (survey_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("need_shared_categories").execute();
}
