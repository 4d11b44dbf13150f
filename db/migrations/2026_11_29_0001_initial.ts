import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("working_groups")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "jsonb", (c) => c.notNull())
    .addColumn("description", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin', 'coordinator')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("password_changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("disabled_at", "timestamptz")
    .execute();
  await sql`create unique index users_email_lower_idx on users (lower(email))`.execute(db);

  await db.schema
    .createTable("user_working_groups")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("working_group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("user_working_groups_pk", ["user_id", "working_group_id"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("surveys")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("working_group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("restrict"),
    )
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`status in ('draft', 'open', 'closed')`),
    )
    .addColumn("access_mode", "text", (c) =>
      c
        .notNull()
        .defaultTo("open_link")
        .check(sql`access_mode in ('open_link', 'invitation_only')`),
    )
    .addColumn("opens_at", "timestamptz")
    .addColumn("closes_at", "timestamptz")
    .addColumn("current_version_id", "integer")
    .addColumn("source_file", "text")
    .addColumn("source_hash", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("surveys_group_idx")
    .on("surveys")
    .columns(["working_group_id", "status"])
    .execute();

  await db.schema
    .createTable("survey_versions")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("definition", "jsonb", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("source_yaml", "text", (c) => c.notNull())
    .addColumn("origin", "text", (c) =>
      c.notNull().check(sql`origin in ('file', 'editor', 'upload')`),
    )
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("survey_versions_number_uq", ["survey_id", "version"])
    .execute();
  await db.schema
    .createIndex("survey_versions_hash_idx")
    .on("survey_versions")
    .columns(["survey_id", "content_hash"])
    .execute();
  await db.schema
    .alterTable("surveys")
    .addForeignKeyConstraint(
      "surveys_current_version_fk",
      ["current_version_id"],
      "survey_versions",
      ["id"],
    )
    .onDelete("set null")
    .execute();

  await db.schema
    .createTable("invitations")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("country", "text")
    .addColumn("organisation", "text")
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("active").check(sql`status in ('active', 'revoked')`),
    )
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("revoked_at", "timestamptz")
    .addColumn("last_sent_at", "timestamptz")
    .addColumn("last_activity_at", "timestamptz")
    .execute();
  await db.schema.createIndex("invitations_survey_idx").on("invitations").column("survey_id").execute();
  await sql`create unique index invitations_survey_email_uq on invitations (survey_id, lower(email)) where email is not null and status = 'active'`.execute(
    db,
  );

  await db.schema
    .createTable("responses")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("survey_version_id", "integer", (c) =>
      c.notNull().references("survey_versions.id").onDelete("restrict"),
    )
    .addColumn("invitation_id", "integer", (c) =>
      c.references("invitations.id").onDelete("set null"),
    )
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("in_progress").check(sql`status in ('in_progress', 'submitted')`),
    )
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("resume_token_hash", "text", (c) => c.unique())
    .addColumn("reference", "text", (c) => c.unique())
    .addColumn("current_page", "text")
    .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("submitted_at", "timestamptz")
    .addColumn("country", "text")
    .addColumn("country_group", "text", (c) =>
      c.check(sql`country_group is null or country_group in ('eu', 'ru', 'other')`),
    )
    .addColumn("org_type", "text")
    .addColumn("sector", "text")
    .addUniqueConstraint("responses_idempotency_uq", ["survey_id", "idempotency_key"])
    .execute();
  await sql`create unique index responses_invitation_uq on responses (invitation_id) where invitation_id is not null`.execute(
    db,
  );
  await db.schema
    .createIndex("responses_dashboard_idx")
    .on("responses")
    .columns(["survey_id", "status", "submitted_at"])
    .execute();
  await db.schema
    .createIndex("responses_version_idx")
    .on("responses")
    .column("survey_version_id")
    .execute();

  await db.schema
    .createTable("answers")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("response_id", "uuid", (c) =>
      c.notNull().references("responses.id").onDelete("cascade"),
    )
    .addColumn("survey_id", "integer", (c) => c.notNull())
    .addColumn("question_key", "text", (c) => c.notNull())
    .addColumn("item", "text")
    .addColumn("option_code", "text")
    .addColumn("value_num", "double precision")
    .addColumn("value_text", "text")
    .addColumn("value_json", "jsonb")
    .execute();
  await db.schema
    .createIndex("answers_response_idx")
    .on("answers")
    .columns(["response_id", "question_key"])
    .execute();
  await db.schema
    .createIndex("answers_survey_question_idx")
    .on("answers")
    .columns(["survey_id", "question_key", "option_code"])
    .execute();

  await db.schema
    .createTable("themes")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("working_group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index themes_group_name_uq on themes (working_group_id, lower(name))`.execute(
    db,
  );

  await db.schema
    .createTable("answer_tags")
    .addColumn("answer_id", "bigint", (c) =>
      c.notNull().references("answers.id").onDelete("cascade"),
    )
    .addColumn("theme_id", "integer", (c) =>
      c.notNull().references("themes.id").onDelete("cascade"),
    )
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("answer_tags_pk", ["answer_id", "theme_id"])
    .execute();
  await db.schema.createIndex("answer_tags_theme_idx").on("answer_tags").column("theme_id").execute();

  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "timestamptz", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("details", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("audit_log_at_idx").on("audit_log").column("at").execute();

  await db.schema
    .createTable("email_templates")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('invitation', 'reminder')`))
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("email_templates_uq", ["survey_id", "kind", "locale"])
    .execute();

  await db.schema
    .createTable("email_outbox")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("survey_id", "integer", (c) =>
      c.notNull().references("surveys.id").onDelete("cascade"),
    )
    .addColumn("invitation_id", "integer", (c) =>
      c.references("invitations.id").onDelete("set null"),
    )
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('invitation', 'reminder')`))
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("queued")
        .check(sql`status in ('queued', 'sending', 'sent', 'failed')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("email_outbox_due_idx")
    .on("email_outbox")
    .columns(["status", "next_attempt_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "email_outbox",
    "email_templates",
    "audit_log",
    "rate_limits",
    "answer_tags",
    "themes",
    "answers",
    "responses",
    "invitations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable("surveys").dropConstraint("surveys_current_version_fk").execute();
  for (const table of [
    "survey_versions",
    "surveys",
    "sessions",
    "user_working_groups",
    "users",
    "working_groups",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
