import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * Resume links of anonymous responses are random tokens from now on (only their SHA-256 is
 * stored). Links issued before were an HMAC of the server secret over the response's Start
 * key, so the key plus the secret gave the link back. Those links keep working (their hash
 * stays in resume_token_hash), but the keys they were computed from are replaced by random
 * ones, so nothing in the database recomputes them any more. The Start key only matters for
 * a few minutes after a start (a double click gives back the same response); responses stored
 * through the JSON API have no resume link and keep their keys.
 *
 * `shared_device`: the respondent said they answer on a shared computer, so the app keeps no
 * cookie for this response (no "continue" offer on the survey page, no receipt cookie).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update responses
    set idempotency_key = 'rekeyed:' || gen_random_uuid()::text
    where resume_token_hash is not null`.execute(db);
  await sql`
    alter table responses
    add column if not exists shared_device boolean not null default false`.execute(db);
}

/** The column goes; the replaced Start keys cannot come back (and are not needed). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("responses").dropColumn("shared_device").execute();
}
