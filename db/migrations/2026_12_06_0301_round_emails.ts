import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * E-mails of Delphi rounds. A message of kind `round` carries an invited participant's link to
 * a round (2, 3, …) of a survey; it names its round, and one participant gets at most one such
 * message per round (so that sending twice does not mail twice). Surveys may edit the round
 * template as they edit the invitation and reminder templates.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["email_outbox", "email_templates"]) {
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.ref(`${table}_kind_check`)}`.execute(
      db,
    );
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_kind_check`)} check (kind in ('invitation', 'reminder', 'round'))`.execute(
      db,
    );
  }
  await db.schema
    .alterTable("email_outbox")
    .addColumn("delphi_round_id", "integer", (c) =>
      c.references("delphi_rounds.id").onDelete("cascade"),
    )
    .execute();
  await sql`alter table email_outbox add constraint email_outbox_round_ck check ((kind = 'round') = (delphi_round_id is not null))`.execute(
    db,
  );
  await sql`create unique index email_outbox_round_uq on email_outbox (delphi_round_id, invitation_id) where kind = 'round'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from email_outbox where kind = 'round'`.execute(db);
  await sql`delete from email_templates where kind = 'round'`.execute(db);
  await sql`drop index email_outbox_round_uq`.execute(db);
  await db.schema.alterTable("email_outbox").dropColumn("delphi_round_id").execute();
  for (const table of ["email_outbox", "email_templates"]) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_kind_check`)}`.execute(
      db,
    );
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_kind_check`)} check (kind in ('invitation', 'reminder'))`.execute(
      db,
    );
  }
}
