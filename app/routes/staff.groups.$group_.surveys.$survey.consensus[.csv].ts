import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import {
  CONSENSUS_COLUMNS,
  consensusRows,
  ROUND_ANSWER_COLUMNS,
  roundAnswerRows,
} from "~/server/delphi";
import { csvText } from "~/server/spreadsheet.server";
import { requireManagedSurvey } from "~/server/survey-admin.server";

/**
 * GET …/consensus.csv: the consensus table of the survey's Delphi rounds, one row per item and
 * round (the figures of the consensus section); `?table=answers`: every rating of those items
 * in every round, with its round. Audit-logged as an export.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireManagedSurvey(request, context, params, { resource: true });
  const table = new URL(request.url).searchParams.get("table") ?? "consensus";
  if (table !== "consensus" && table !== "answers") {
    return new Response("Unknown table: use table=consensus or table=answers", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const ref = { id: survey.id, currentVersionId: survey.currentVersionId };
  const body =
    table === "consensus"
      ? csvText(
          CONSENSUS_COLUMNS,
          await consensusRows(context.db, ref, { minCell: context.env.MIN_CELL_SIZE }),
        )
      : csvText(ROUND_ANSWER_COLUMNS, await roundAnswerRows(context.db, ref));
  await audit(context.db, {
    user,
    action: "export.downloaded",
    targetType: "survey",
    targetId: survey.id,
    details: { survey: survey.slug, kind: table === "consensus" ? "consensus.csv" : "rounds.csv" },
    ip: context.clientIp,
  });
  const day = new Date().toISOString().slice(0, 10);
  const name = `${survey.slug}_${table === "consensus" ? "consensus" : "rounds"}_${day}.csv`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
