import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * The needs register and the programme catalogue: needs (one record for one or several working
 * groups) with their dated status history, the survey figures they rest on (as they were when
 * linked), the programmes that address them, and a per-survey choice to show the outcome to
 * respondents.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("needs")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("title", "jsonb", (c) => c.notNull())
    .addColumn("description", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("category", "text")
    .addColumn("horizon", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("proposed"))
    .addColumn("owner", "text")
    .addColumn("notes", "text")
    .addColumn("merged_into", "integer", (c) => c.references("needs.id").onDelete("set null"))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("need_groups")
    .addColumn("need_id", "integer", (c) => c.notNull().references("needs.id").onDelete("cascade"))
    .addColumn("working_group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("need_groups_pk", ["need_id", "working_group_id"])
    .execute();
  await db.schema
    .createIndex("need_groups_group_idx")
    .on("need_groups")
    .column("working_group_id")
    .execute();

  await db.schema
    .createTable("need_status_events")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("need_id", "integer", (c) => c.notNull().references("needs.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("on_date", "date", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("need_status_events_need_idx")
    .on("need_status_events")
    .column("need_id")
    .execute();

  await db.schema
    .createTable("need_evidence")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("need_id", "integer", (c) => c.notNull().references("needs.id").onDelete("cascade"))
    .addColumn("origin_need_id", "integer", (c) => c.references("needs.id").onDelete("set null"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("working_group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addColumn("survey_id", "integer", (c) => c.references("surveys.id").onDelete("set null"))
    .addColumn("survey_slug", "text", (c) => c.notNull())
    .addColumn("survey_version", "integer", (c) => c.notNull())
    .addColumn("question_key", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("label", "jsonb", (c) => c.notNull())
    .addColumn("figures", "jsonb", (c) => c.notNull())
    .addColumn("linked_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("linked_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("need_evidence_need_idx")
    .on("need_evidence")
    .column("need_id")
    .execute();

  await db.schema
    .createTable("programmes")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name", "jsonb", (c) => c.notNull())
    .addColumn("funder", "jsonb", (c) => c.notNull())
    .addColumn("countries", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("eligibility", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("next_deadline", "date")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("status_note", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("source_hash", "text")
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("need_programmes")
    .addColumn("need_id", "integer", (c) => c.notNull().references("needs.id").onDelete("cascade"))
    .addColumn("programme_id", "integer", (c) =>
      c.notNull().references("programmes.id").onDelete("cascade"),
    )
    .addColumn("fit", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("need_programmes_pk", ["need_id", "programme_id"])
    .execute();

  await db.schema
    .alterTable("surveys")
    .addColumn("outcome_page", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("surveys").dropColumn("outcome_page").execute();
  await db.schema.dropTable("need_programmes").execute();
  await db.schema.dropTable("programmes").execute();
  await db.schema.dropTable("need_evidence").execute();
  await db.schema.dropTable("need_status_events").execute();
  await db.schema.dropTable("need_groups").execute();
  await db.schema.dropTable("needs").execute();
}
