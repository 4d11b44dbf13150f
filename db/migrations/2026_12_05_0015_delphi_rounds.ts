import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * Delphi rounds. Round 1 of a survey is its questionnaire; a later round is a survey version
 * marked with its round number (`survey_versions.delphi_round`) and a row of `delphi_rounds`
 * naming the items to re-rate, the dates and who takes part. A participant's answers of a
 * later round are a `delphi_participations` row (tied to their round-1 response, or to their
 * invitation when they skipped round 1) and its `delphi_answers`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("survey_versions").addColumn("delphi_round", "integer").execute();

  await db.schema
    .createTable("delphi_rounds")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("round", "integer", (c) => c.notNull().check(sql`round >= 2`))
    .addColumn("survey_version_id", "integer", (c) =>
      c.notNull().references("survey_versions.id").onDelete("restrict"),
    )
    .addColumn("items", "jsonb", (c) => c.notNull())
    .addColumn("opens_at", "timestamptz", (c) => c.notNull())
    .addColumn("closes_at", "timestamptz")
    .addColumn("participants", "text", (c) =>
      c.notNull().check(sql`participants in ('previous', 'invited')`),
    )
    .addColumn("newcomers", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("reasons", "text", (c) =>
      c.notNull().check(sql`reasons in ('required', 'optional', 'off')`),
    )
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("delphi_rounds_survey_round_uq", ["survey_id", "round"])
    .execute();

  await db.schema
    .createTable("delphi_participations")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("round_id", "integer", (c) =>
      c.notNull().references("delphi_rounds.id").onDelete("cascade"),
    )
    .addColumn("response_id", "uuid", (c) => c.references("responses.id").onDelete("cascade"))
    .addColumn("invitation_id", "integer", (c) =>
      c.references("invitations.id").onDelete("cascade"),
    )
    .addColumn("newcomer", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("submitted_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "delphi_participations_who_ck",
      sql`response_id is not null or invitation_id is not null`,
    )
    .execute();
  await sql`create unique index delphi_participations_response_uq on delphi_participations (round_id, response_id) where response_id is not null`.execute(
    db,
  );
  await sql`create unique index delphi_participations_invitation_uq on delphi_participations (round_id, invitation_id) where response_id is null`.execute(
    db,
  );

  await db.schema
    .createTable("delphi_answers")
    .addColumn("participation_id", "integer", (c) =>
      c.notNull().references("delphi_participations.id").onDelete("cascade"),
    )
    .addColumn("item", "text", (c) => c.notNull())
    .addColumn("value_num", "integer", (c) => c.notNull())
    .addColumn("reason", "text")
    .addPrimaryKeyConstraint("delphi_answers_pk", ["participation_id", "item"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("delphi_answers").execute();
  await db.schema.dropTable("delphi_participations").execute();
  await db.schema.dropTable("delphi_rounds").execute();
  await db.schema.alterTable("survey_versions").dropColumn("delphi_round").execute();
}
