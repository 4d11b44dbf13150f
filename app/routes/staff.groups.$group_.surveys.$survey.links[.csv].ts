import type { ActionFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import {
  linkRowsFor,
  linksCsv,
  linksFileName,
  linksForTokens,
  regenerateAllPending,
} from "~/server/invitations.server";
import { publicBase, requireManagedSurvey } from "~/server/survey-admin.server";

/**
 * POST …/links.csv: personal links as a CSV file. Tokens are not stored, so links can only be
 * downloaded when they are issued:
 * - intent=download with the tokens just shown on the invitations page (`token`, repeated);
 * - intent=regenerate-all with confirm=yes: new links for every invitee who has not submitted
 *   (their earlier links stop working).
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, survey } = await requireManagedSurvey(request, context, params, { resource: true });
  const form = await request.formData();
  const intent = form.get("intent");
  const base = publicBase(context.env, request);
  const actor = { user, ip: context.clientIp };
  let rows;
  if (intent === "download") {
    const tokens = form.getAll("token").filter((t): t is string => typeof t === "string");
    rows = await linksForTokens(context.db, survey.id, tokens, base);
    await audit(context.db, {
      user,
      action: "invitation.links_download",
      targetType: "survey",
      targetId: survey.id,
      details: { survey: survey.slug, count: rows.length },
      ip: context.clientIp,
    });
  } else if (intent === "regenerate-all") {
    if (form.get("confirm") !== "yes") {
      return new Response(
        "Tick the box to confirm that the earlier links stop working, then try again.",
        {
          status: 400,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
        },
      );
    }
    const links = await regenerateAllPending(context.db, survey, actor);
    rows = await linkRowsFor(context.db, survey.id, links, base);
  } else {
    throw new Response("", { status: 400, statusText: "Bad Request" });
  }
  return new Response(linksCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${linksFileName(survey.slug)}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
