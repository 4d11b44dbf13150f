/**
 * The raw database ceiling: storing one complete response (its row and its answer rows, in one
 * transaction) straight through pg with named prepared statements, from several connections.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { packedValuesText } from "~/survey/storage";
import type { BenchSurvey, Payload } from "./payload";
import { log, quantile, round, since } from "./util";

export interface BaselineRun {
  connections: number;
  seconds: number;
  responses: number;
  responsesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  /** CPU time of the database backends per stored response (null when not measurable). */
  dbCpuMsPerResponse: number | null;
}

export interface BaselineResult {
  description: string;
  answerRowsPerResponse: number;
  runs: BaselineRun[];
  /** The best run: the ceiling the submission figures are compared with. */
  best: BaselineRun;
}

const INSERT_RESPONSE = `insert into responses (id, survey_id, survey_version_id, locale, status, idempotency_key, reference,
    current_page, started_at, updated_at, submitted_at, country, country_group, org_type, sector, answer_values)
  values ($1, $2, $3, $4, 'submitted', $5, $6, '@review', $7, $7, $7, $8, $9, $10, $11, $12::json)`;

const INSERT_ANSWERS = `insert into answers (response_id, survey_id, question_key, item, option_code, value_num, value_text, value_json)
  select $1::uuid, $2::int, u.question_key, u.item, u.option_code, u.value_num, u.value_text, u.value_json
  from unnest($3::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::jsonb[])
    as u(question_key, item, option_code, value_num, value_text, value_json)`;

interface Prepared {
  payload: Payload;
  /** The response's packed answer values, as the app stores them with the response. */
  packed: string | null;
  columns: [
    string[],
    (string | null)[],
    (string | null)[],
    (number | null)[],
    (string | null)[],
    (string | null)[],
  ];
}

function prepare(payloads: readonly Payload[]): Prepared[] {
  return payloads.map((payload) => ({
    payload,
    packed: packedValuesText(payload.rows),
    columns: [
      payload.rows.map((r) => r.questionKey),
      payload.rows.map((r) => r.item),
      payload.rows.map((r) => r.optionCode),
      payload.rows.map((r) => r.valueNum),
      payload.rows.map((r) => r.valueText),
      payload.rows.map((r) =>
        r.valueJson === null || r.valueJson === undefined ? null : JSON.stringify(r.valueJson),
      ),
    ],
  }));
}

type DbCpu = () => Promise<number | null>;

async function runOnce(
  url: string,
  survey: BenchSurvey,
  prepared: Prepared[],
  connections: number,
  seconds: number,
  dbCpu: DbCpu,
): Promise<BaselineRun> {
  const clients = Array.from(
    { length: connections },
    () => new pg.Client({ connectionString: url, application_name: "needsmap-bench-baseline" }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  const cpuBefore = await dbCpu();
  const latencies: number[] = [];
  let n = 0;
  let cpuAfter: number | null = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client, ci) => {
        let i = ci;
        while (performance.now() < deadline) {
          const { payload, packed, columns } = prepared[i++ % prepared.length];
          const id = randomUUID();
          const t0 = performance.now();
          await client.query("begin");
          await client.query({
            name: "bench_insert_response",
            text: INSERT_RESPONSE,
            values: [
              id,
              survey.id,
              survey.versionId,
              payload.locale,
              `baseline-${randomBytes(9).toString("base64url")}`,
              `B-${randomBytes(6).toString("hex")}`,
              new Date(),
              payload.profile.country,
              payload.profile.country_group,
              payload.profile.org_type,
              payload.profile.sector,
              packed,
            ],
          });
          await client.query({
            name: "bench_insert_answers",
            text: INSERT_ANSWERS,
            values: [id, survey.id, ...columns],
          });
          await client.query("commit");
          latencies.push(performance.now() - t0);
          n++;
        }
      }),
    );
    cpuAfter = await dbCpu();
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
  const elapsed = since(started) / 1000;
  return {
    connections,
    seconds: round(elapsed, 2),
    responses: n,
    responsesPerSecond: round(n / elapsed, 0),
    latencyMs: {
      p50: round(quantile(latencies, 0.5), 2),
      p95: round(quantile(latencies, 0.95), 2),
      p99: round(quantile(latencies, 0.99), 2),
    },
    dbCpuMsPerResponse:
      cpuBefore !== null && cpuAfter !== null && n > 0
        ? round((cpuAfter - cpuBefore) / n, 2)
        : null,
  };
}

export async function runBaseline(
  url: string,
  survey: BenchSurvey,
  payloads: readonly Payload[],
  options: { connections: readonly number[]; seconds: number; dbCpu: DbCpu },
): Promise<BaselineResult> {
  const prepared = prepare(payloads);
  // A short warm-up: connections, the plans of the prepared statements, the buffer cache.
  await runOnce(url, survey, prepared, 2, 0.5, options.dbCpu);
  const runs: BaselineRun[] = [];
  for (const connections of options.connections) {
    const run = await runOnce(url, survey, prepared, connections, options.seconds, options.dbCpu);
    log(`baseline: ${connections} connections: ${run.responsesPerSecond} responses/s`);
    runs.push(run);
  }
  const best = runs.reduce((a, b) => (b.responsesPerSecond > a.responsesPerSecond ? b : a));
  return {
    description:
      "BEGIN; INSERT the response row (with its packed answer values); INSERT its answer rows (one statement, unnest of arrays); COMMIT - named prepared statements through pg, one transaction per response",
    answerRowsPerResponse: round(
      payloads.reduce((s, p) => s + p.rows.length, 0) / payloads.length,
      1,
    ),
    runs,
    best,
  };
}
