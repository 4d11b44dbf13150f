import { sql } from "kysely";
import type { Db } from "#db/client";

/** A column of the application's tables that holds text: text, varchar, json or jsonb (or arrays of them). */
interface TextColumn {
  table: string;
  column: string;
}

async function textColumns(db: Db, tables?: readonly string[]): Promise<TextColumn[]> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name
      from information_schema.columns c
     where table_schema = 'public'
       and (data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
            or (data_type = 'ARRAY' and udt_name in ('_text', '_varchar', '_json', '_jsonb')))
       and exists (select 1 from information_schema.tables t
                    where t.table_schema = 'public' and t.table_name = c.table_name
                      and t.table_type = 'BASE TABLE')
     order by table_name, column_name`.execute(db);
  return rows
    .filter((r) => !tables || tables.includes(r.table_name))
    .map((r) => ({ table: r.table_name, column: r.column_name }));
}

/**
 * Every place in the database (`table.column`, with the number of rows) where one of the texts
 * occurs, case-insensitively: searches every text and JSON column of every table, or of the
 * tables given.
 */
export async function findInDatabase(
  db: Db,
  needles: readonly string[],
  tables?: readonly string[],
): Promise<string[]> {
  const columns = await textColumns(db, tables);
  if (columns.length === 0) throw new Error("no text columns found");
  const found: string[] = [];
  for (const needle of needles) {
    for (const { table, column } of columns) {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from ${sql.table(table)}
         where strpos(lower(${sql.ref(column)}::text), lower(${needle})) > 0`.execute(db);
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) found.push(`${table}.${column} (${n}× "${needle}")`);
    }
  }
  return found;
}
