// npm run response:erase -- --reference NM-XXXX-XXXX [--yes]
//                           --response-id <uuid> [--yes]
// Erases one response (its answers and their theme tags) on the respondent's request and
// records it in the audit log without personal data. A response given through a personal
// invitation erases the invitee too: the invitation, their e-mails, and their name and address
// in the audit log (replaced by a pseudonym). Without --yes it only shows what would be erased.
// Uses DATABASE_URL, or the embedded database in DATA_DIR (stop the app first).
import { parseArgs } from "node:util";
import { eraseResponse, inviteePseudonym, normalizeReference } from "~/server/erasure.server";
import { withDatabase } from "./lib/cli";

const USAGE =
  "usage: npm run response:erase -- (--reference NM-XXXX-XXXX | --response-id UUID) [--yes]";

let options;
try {
  options = parseArgs({
    options: {
      reference: { type: "string" },
      "response-id": { type: "string" },
      yes: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (e) {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  process.exit(1);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (Boolean(options.reference) === Boolean(options["response-id"])) {
  console.error(`error: give either --reference or --response-id\n${USAGE}`);
  process.exit(1);
}

await withDatabase(async (db) => {
  const reference = options.reference ? normalizeReference(options.reference) : null;
  const row = await db
    .selectFrom("responses")
    .innerJoin("surveys", "surveys.id", "responses.survey_id")
    .select([
      "responses.id",
      "responses.status",
      "responses.reference",
      "responses.submitted_at",
      "responses.invitation_id",
      "surveys.slug",
    ])
    .where(
      reference ? "responses.reference" : "responses.id",
      "=",
      reference ?? options["response-id"]!,
    )
    .executeTakeFirst();
  if (!row) {
    console.error(`error: no response ${reference ?? options["response-id"]}`);
    return 1;
  }
  const answers = await db
    .selectFrom("answers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("response_id", "=", row.id)
    .executeTakeFirstOrThrow();
  console.log(
    `response ${row.id} (${row.reference ?? "no reference"}) of survey ${row.slug}: ${row.status}` +
      `${row.submitted_at ? ` on ${row.submitted_at.toISOString()}` : ""}, ${Number(answers.n)} answer rows`,
  );
  if (row.invitation_id != null) {
    console.log(
      `given through invitation ${row.invitation_id}: the invitation, its e-mails and the invitee's ` +
        `name and address in the audit log are erased too (the log calls them ${inviteePseudonym(row.invitation_id)})`,
    );
  }
  if (!options.yes) {
    console.log("nothing erased: run again with --yes to erase it");
    return 0;
  }
  const result = await eraseResponse(db, { responseId: row.id }, { user: null, actor: "cli" });
  if (!result.ok) {
    console.error(`error: ${result.reason}`);
    return 1;
  }
  const invitee = result.invitee
    ? `; invitation ${result.invitee.invitationId} erased (${result.invitee.messages} e-mails, ` +
      `${result.invitee.auditEntries} audit entries now name ${result.invitee.pseudonym})`
    : "";
  console.log(
    `erased: ${result.answers} answer rows, ${result.tags} theme tags${invitee}; recorded in the audit log as response.erased`,
  );
  return 0;
});
