import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * Each submitted response's answer values packed into one JSON object on the response
 * (`responses.answer_values`), written when it is submitted, so that an export reads one column
 * per response instead of gathering about a hundred answer rows (decision 063). The key of a row
 * is its question key, item and, for a row with an item, its option code, joined with `|`; its
 * value is its number, else its text, else its option code. Need entries (the rows with a JSON
 * value) are not packed: the exports read them from their rows.
 *
 * The responses submitted before this migration are packed here, in one statement. It reads
 * every answer row once; at a million responses (a hundred million rows) that takes minutes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table responses add column answer_values json`.execute(db);
  await sql`
    update responses r set answer_values = p.packed
    from (
      select a.response_id, json_object_agg(
          a.question_key || coalesce('|' || a.item || coalesce('|' || a.option_code, ''), ''),
          coalesce(to_json(a.value_num), to_json(coalesce(a.value_text, a.option_code)))) as packed
      from answers a
      join responses s on s.id = a.response_id and s.status = 'submitted'
      where a.value_json is null
      group by a.response_id
    ) p
    where r.id = p.response_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table responses drop column answer_values`.execute(db);
}
