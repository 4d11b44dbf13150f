import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * Dashboard aggregates kept current as responses are submitted and erased (decision 045).
 *
 * - `dashboard_aggregates`: counts and sums per survey version, facet (weeks, profile, answer
 *   counts, need and Borich figures), key and margin (`dim` '' for every respondent, or one
 *   profile dimension and its value). Filled by app/server/aggregates.server.ts.
 * - `aggregate_queue`: one entry per change not yet applied: +1 when a response becomes
 *   submitted (filled by a trigger: one cheap insert, no shared row), −1 when a submitted response
 *   is deleted after its +1 was applied. An entry carries the response's profile as it was.
 * - `aggregate_queue_answers`: the answers of a deleted response whose −1 is pending (they are
 *   gone from `answers` by then).
 *
 * Existing submitted responses are queued here, so that the aggregates fill themselves (or
 * `npm run db:reaggregate` fills them at once).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table dashboard_aggregates (
    survey_id integer not null,
    survey_version_id integer not null,
    facet text not null,
    dim text not null,
    dim_value text not null,
    question_key text not null,
    item text,
    code text,
    value double precision,
    cg text not null,
    n bigint not null,
    e bigint not null,
    x numeric not null,
    xx numeric not null,
    y numeric not null,
    yy numeric not null,
    z numeric not null,
    zz numeric not null,
    constraint dashboard_aggregates_key unique nulls not distinct
      (survey_id, facet, dim, dim_value, survey_version_id, question_key, item, code, value, cg)
  ) with (fillfactor = 70)`.execute(db);
  // No other index, and room left in each page: the drainer's updates change no indexed column
  // and stay on their page (HOT updates), so applying a submission touches no index.

  await sql`create table aggregate_queue (
    id bigint generated always as identity primary key,
    response_id uuid not null,
    sign smallint not null check (sign in (1, -1)),
    survey_id integer not null,
    survey_version_id integer not null,
    submitted_at timestamptz,
    country text,
    country_group text,
    org_type text,
    sector text
  )`.execute(db);
  await sql`create index aggregate_queue_response_idx on aggregate_queue (response_id)`.execute(db);
  await sql`create index aggregate_queue_survey_idx on aggregate_queue (survey_id)`.execute(db);
  await sql`create table aggregate_queue_answers (
    response_id uuid not null,
    question_key text not null,
    item text,
    option_code text,
    value_num double precision,
    value_json jsonb
  )`.execute(db);
  await sql`create index aggregate_queue_answers_response_idx on aggregate_queue_answers (response_id)`.execute(
    db,
  );

  await sql`create function aggregate_queue_submitted() returns trigger language plpgsql as $$
    begin
      insert into aggregate_queue (response_id, sign, survey_id, survey_version_id, submitted_at,
                                   country, country_group, org_type, sector)
      values (new.id, 1, new.survey_id, new.survey_version_id, new.submitted_at,
              new.country, new.country_group, new.org_type, new.sector);
      return null;
    end $$`.execute(db);
  await sql`create trigger responses_submitted_insert after insert on responses
    for each row when (new.status = 'submitted') execute function aggregate_queue_submitted()`.execute(
    db,
  );
  await sql`create trigger responses_submitted_update after update of status on responses
    for each row when (old.status is distinct from 'submitted' and new.status = 'submitted')
    execute function aggregate_queue_submitted()`.execute(db);

  // Before the row goes (its answers are still there; a cascade deletes them after the row):
  // a +1 not yet applied is dropped, else a −1 with a copy of the answers is queued. The shared
  // lock lets erasures run side by side and keeps a rebuild (exclusive) from running meanwhile.
  await sql`create function aggregate_queue_deleted() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(7413001);
      delete from aggregate_queue where response_id = old.id and sign = 1;
      if not found then
        insert into aggregate_queue (response_id, sign, survey_id, survey_version_id, submitted_at,
                                     country, country_group, org_type, sector)
        values (old.id, -1, old.survey_id, old.survey_version_id, old.submitted_at,
                old.country, old.country_group, old.org_type, old.sector);
        insert into aggregate_queue_answers (response_id, question_key, item, option_code, value_num, value_json)
        select a.response_id, a.question_key, a.item, a.option_code, a.value_num, a.value_json
        from answers a where a.response_id = old.id;
      end if;
      return old;
    end $$`.execute(db);
  await sql`create trigger responses_submitted_delete before delete on responses
    for each row when (old.status = 'submitted') execute function aggregate_queue_deleted()`.execute(
    db,
  );

  // A submitted response whose profile, time or version changes counts again: the pending +1
  // takes the new values, else a −1 with the old values (and a copy of the answers) and a +1.
  await sql`create function aggregate_queue_changed() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(7413001);
      update aggregate_queue set survey_id = new.survey_id, survey_version_id = new.survey_version_id,
             submitted_at = new.submitted_at, country = new.country, country_group = new.country_group,
             org_type = new.org_type, sector = new.sector
      where response_id = new.id and sign = 1;
      if not found then
        insert into aggregate_queue (response_id, sign, survey_id, survey_version_id, submitted_at,
                                     country, country_group, org_type, sector)
        values (old.id, -1, old.survey_id, old.survey_version_id, old.submitted_at,
                old.country, old.country_group, old.org_type, old.sector),
               (new.id, 1, new.survey_id, new.survey_version_id, new.submitted_at,
                new.country, new.country_group, new.org_type, new.sector);
        insert into aggregate_queue_answers (response_id, question_key, item, option_code, value_num, value_json)
        select a.response_id, a.question_key, a.item, a.option_code, a.value_num, a.value_json
        from answers a where a.response_id = old.id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger responses_submitted_change
    after update of survey_id, survey_version_id, submitted_at, country, country_group, org_type, sector on responses
    for each row when (old.status = 'submitted' and new.status = 'submitted'
      and (old.survey_id, old.survey_version_id, old.submitted_at, old.country, old.country_group, old.org_type, old.sector)
          is distinct from
          (new.survey_id, new.survey_version_id, new.submitted_at, new.country, new.country_group, new.org_type, new.sector))
    execute function aggregate_queue_changed()`.execute(db);

  await sql`insert into aggregate_queue (response_id, sign, survey_id, survey_version_id, submitted_at,
                                         country, country_group, org_type, sector)
    select id, 1, survey_id, survey_version_id, submitted_at, country, country_group, org_type, sector
    from responses where status = 'submitted' order by submitted_at`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger responses_submitted_change on responses`.execute(db);
  await sql`drop function aggregate_queue_changed()`.execute(db);
  await sql`drop trigger responses_submitted_delete on responses`.execute(db);
  await sql`drop trigger responses_submitted_update on responses`.execute(db);
  await sql`drop trigger responses_submitted_insert on responses`.execute(db);
  await sql`drop function aggregate_queue_deleted()`.execute(db);
  await sql`drop function aggregate_queue_submitted()`.execute(db);
  await sql`drop table aggregate_queue_answers`.execute(db);
  await sql`drop table aggregate_queue`.execute(db);
  await sql`drop table dashboard_aggregates`.execute(db);
}
