import type { LoaderFunctionArgs } from "@remix-run/node";
import { getVersion, parseVersionParam, requireManagedSurvey } from "~/server/survey-admin.server";

/** GET …/versions/3.yaml: the YAML a version was made from, as a file. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey } = await requireManagedSurvey(request, context, params, { resource: true });
  const number = parseVersionParam(params.file);
  if (number == null || !/\.ya?ml$/.test(params.file ?? ""))
    throw new Response("Not found", { status: 404 });
  const version = await getVersion(context.db, survey, number);
  if (!version) throw new Response("Not found", { status: 404 });
  return new Response(version.sourceYaml, {
    headers: {
      "Content-Type": "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${survey.slug}-v${version.version}.yaml"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
