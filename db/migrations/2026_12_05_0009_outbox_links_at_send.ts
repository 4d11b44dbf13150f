import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * Personal links are composed into a message only when it is sent. A queued message keeps the
 * invitee's language and the public address of the links; its stored subject and body show the
 * link masked (`…/i/…`), so the outbox never holds a working link.
 *
 * Messages queued before this change carry a working link in their body: the address in front
 * of it becomes `link_base`, and the token is masked. Sending them issues a new link.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("email_outbox")
    .addColumn("locale", "text")
    .addColumn("link_base", "text")
    .execute();
  await sql`
    update email_outbox o
       set locale = coalesce((select i.locale from invitations i where i.id = o.invitation_id), 'en'),
           link_base = coalesce(substring(o.body from '(\\S+?)/i/[A-Za-z0-9_-]{43}'), ''),
           body = regexp_replace(o.body, '/i/[A-Za-z0-9_-]{43}', '/i/…', 'g'),
           subject = regexp_replace(o.subject, '/i/[A-Za-z0-9_-]{43}', '/i/…', 'g')
  `.execute(db);
  await db.schema
    .alterTable("email_outbox")
    .alterColumn("locale", (c) => c.setNotNull())
    .alterColumn("link_base", (c) => c.setNotNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("email_outbox").dropColumn("locale").dropColumn("link_base").execute();
}
