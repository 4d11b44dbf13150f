// npm run user:create -- --email E --password P --role admin|coordinator [--group SLUG]... [--name N]
// Creates a staff account, or updates the account with that e-mail address (role, groups and
// password are replaced; the name only when --name is given).
import { parseArgs } from "node:util";
import { migrateToLatest } from "#db/migrate";
import { translator } from "~/i18n/catalog";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { type FieldErrors, fieldErrors } from "~/server/form-errors.server";
import { accountSchema, saveAccount } from "~/server/users.server";
import { withDatabase } from "./lib/cli";

const USAGE =
  "usage: npm run user:create -- --email E --password P --role admin|coordinator [--group SLUG]... [--name N]";

let options;
try {
  options = parseArgs({
    options: {
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string" },
      group: { type: "string", multiple: true },
      name: { type: "string" },
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
const missing = (["email", "role"] as const).filter((k) => !options[k]);
if (missing.length) {
  console.error(`error: missing ${missing.map((m) => `--${m}`).join(", ")}\n${USAGE}`);
  process.exit(1);
}

const t = translator("en");
const input = {
  email: options.email,
  password: options.password,
  role: options.role,
  groups: options.group ?? [],
  name: options.name,
};

function report(errors: FieldErrors): 1 {
  for (const [field, error] of Object.entries(errors)) {
    if (error)
      console.error(
        `error: --${field === "groups" ? "group" : field}: ${t(error.key, error.vars)}`,
      );
  }
  return 1;
}

// What can be checked without the database is checked before opening it.
const parsed = accountSchema.safeParse(input);
if (!parsed.success) process.exit(report(fieldErrors(parsed.error)));

await withDatabase(async (db) => {
  await migrateToLatest(db);
  await upsertWorkingGroups(db);
  const result = await saveAccount(db, input, { upsertByEmail: true, by: null, actor: "cli" });
  if (!result.ok) return report(result.errors);
  const groups = result.groups.length ? result.groups.join(", ") : "none";
  console.log(
    `${result.created ? "created" : "updated"} ${options.role} account ${result.email} (id ${result.id}); groups: ${groups}` +
      (result.created
        ? ""
        : result.passwordChanged
          ? "; password replaced, existing sessions ended"
          : "; password unchanged"),
  );
  return 0;
});
