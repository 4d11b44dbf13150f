import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { z } from "zod";
import type { Db } from "#db/client";
import type { UserRole } from "#db/schema";
import { audit, type AuditActor } from "./audit.server";
import { deleteUserSessions, normalizeEmail } from "./auth.server";
import { type FieldErrors, fieldErrors } from "./form-errors.server";
import type { Logger } from "./logger.server";
import {
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  readablePassword,
} from "./password.server";

export const ROLES = ["admin", "coordinator"] as const satisfies readonly UserRole[];

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const passwordSchema = z
  .string({ message: "auth.errors.passwordRequired" })
  .min(PASSWORD_MIN_LENGTH, { message: "auth.errors.passwordTooShort" })
  .max(PASSWORD_MAX_LENGTH, { message: "auth.errors.passwordTooLong" });

export const emailSchema = z
  .string({ message: "auth.errors.emailRequired" })
  .trim()
  .min(1, { message: "auth.errors.emailRequired" })
  .max(254, { message: "auth.errors.emailInvalid" })
  .pipe(z.email({ message: "auth.errors.emailInvalid" }));

/**
 * An account as an admin (or the command line) describes it. The password may be left out
 * when updating an account, and the name when updating from the command line.
 */
export const accountSchema = z.object({
  email: emailSchema,
  name: z.preprocess(
    blankToUndefined,
    z.string().trim().max(200, { message: "auth.errors.nameTooLong" }).optional(),
  ),
  password: z.preprocess(blankToUndefined, passwordSchema.optional()),
  role: z.enum(ROLES, { message: "auth.errors.roleInvalid" }),
  groups: z.array(z.string().trim().min(1)).default([]),
});
/** Raw values (form fields, command-line options) checked by accountSchema. */
export type AccountInput = { [K in keyof z.input<typeof accountSchema>]?: unknown };
export type AccountFields = keyof z.output<typeof accountSchema>;

export interface SaveAccountOptions {
  /** Update this account; otherwise create one. */
  id?: number;
  /** Without `id`: update the account with the same e-mail address if there is one (command line). */
  upsertByEmail?: boolean;
  /** Who makes the change (null for the command line or the system). */
  by: AuditActor | null;
  /** Actor name in the audit log when `by` is null. */
  actor?: string;
  ip?: string | null;
  /** When `by` changes their own password: the session to keep. */
  keepSessionHash?: string | null;
}

export type SaveAccountResult =
  | {
      ok: true;
      id: number;
      email: string;
      created: boolean;
      passwordChanged: boolean;
      groups: string[];
    }
  | { ok: false; errors: FieldErrors<AccountFields> };

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "23505";
}

/**
 * Creates or updates an account: e-mail, name, role, working groups (replaced), and the
 * password when one is given. A new password ends the account's other sessions. Returns
 * field errors (catalog keys) for bad input, unknown groups or a taken e-mail address.
 */
export async function saveAccount(
  db: Db,
  raw: AccountInput,
  options: SaveAccountOptions,
): Promise<SaveAccountResult> {
  const parsed = accountSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors<AccountFields>(parsed.error) };
  const input = parsed.data;
  const email = normalizeEmail(input.email);
  const slugs = [...new Set(input.groups)];
  const errors: FieldErrors<AccountFields> = {};

  const groups = slugs.length
    ? await db
        .selectFrom("working_groups")
        .select(["id", "slug"])
        .where("slug", "in", slugs)
        .execute()
    : [];
  const unknown = slugs.filter((s) => !groups.some((g) => g.slug === s));
  if (unknown.length) {
    errors.groups = {
      key: "auth.errors.unknownGroup",
      vars: { slug: unknown.join(", "), count: unknown.length },
    };
  }

  const sameEmail = await db
    .selectFrom("users")
    .select("id")
    .where(sql<string>`lower(email)`, "=", email)
    .executeTakeFirst();
  let targetId = options.id;
  if (targetId != null) {
    const target = await db
      .selectFrom("users")
      .select("id")
      .where("id", "=", targetId)
      .executeTakeFirst();
    if (!target) return { ok: false, errors: { email: { key: "auth.errors.accountNotFound" } } };
    if (sameEmail && sameEmail.id !== targetId) errors.email = { key: "auth.errors.emailTaken" };
  } else if (sameEmail) {
    if (options.upsertByEmail) targetId = sameEmail.id;
    else errors.email = { key: "auth.errors.emailTaken" };
  }
  if (targetId == null && !input.password && !errors.email)
    errors.password = { key: "auth.errors.passwordRequired" };
  if (targetId != null && options.by?.id === targetId && input.role !== "admin") {
    errors.role = { key: "auth.errors.cannotDemoteSelf" };
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      let id: number;
      const created = targetId == null;
      if (targetId == null) {
        const row = await trx
          .insertInto("users")
          .values({ email, name: input.name ?? "", password_hash: passwordHash!, role: input.role })
          .returning("id")
          .executeTakeFirstOrThrow();
        id = row.id;
      } else {
        id = targetId;
        await trx
          .updateTable("users")
          .set({
            email,
            role: input.role,
            updated_at: sql<Date>`now()`,
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(passwordHash
              ? { password_hash: passwordHash, password_changed_at: sql<Date>`now()` }
              : {}),
          })
          .where("id", "=", id)
          .execute();
        if (passwordHash) {
          await deleteUserSessions(trx, id, options.by?.id === id ? options.keepSessionHash : null);
        }
        await trx.deleteFrom("user_working_groups").where("user_id", "=", id).execute();
      }
      if (groups.length) {
        await trx
          .insertInto("user_working_groups")
          .values(groups.map((g) => ({ user_id: id, working_group_id: g.id })))
          .execute();
      }
      const groupSlugs = groups.map((g) => g.slug);
      await audit(trx, {
        user: options.by,
        actor: options.actor,
        action: created ? "user.created" : "user.updated",
        targetType: "user",
        targetId: id,
        details: {
          email,
          role: input.role,
          groups: groupSlugs,
          passwordChanged: Boolean(passwordHash),
        },
        ip: options.ip,
      });
      return {
        ok: true as const,
        id,
        email,
        created,
        passwordChanged: Boolean(passwordHash),
        groups: groupSlugs,
      };
    });
  } catch (e) {
    if (isUniqueViolation(e))
      return { ok: false, errors: { email: { key: "auth.errors.emailTaken" } } };
    throw e;
  }
}

export type SetDisabledResult =
  { ok: true; email: string } | { ok: false; reason: "not_found" | "self" };

/** Disables an account (ending its sessions) or enables it again. Admins cannot disable themselves. */
export async function setAccountDisabled(
  db: Db,
  id: number,
  disabled: boolean,
  options: { by: AuditActor | null; actor?: string; ip?: string | null },
): Promise<SetDisabledResult> {
  if (disabled && options.by?.id === id) return { ok: false, reason: "self" };
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("users")
      .set({
        disabled_at: disabled ? sql<Date>`coalesce(disabled_at, now())` : null,
        updated_at: sql<Date>`now()`,
      })
      .where("id", "=", id)
      .returning("email")
      .executeTakeFirst();
    if (!row) return { ok: false as const, reason: "not_found" as const };
    if (disabled) await deleteUserSessions(trx, id);
    await audit(trx, {
      user: options.by,
      actor: options.actor,
      action: disabled ? "user.disabled" : "user.enabled",
      targetType: "user",
      targetId: id,
      details: { email: row.email },
      ip: options.ip,
    });
    return { ok: true as const, email: row.email };
  });
}

export interface AccountSummary {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  groupSlugs: string[];
  disabledAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date | null;
}

/** Every account, by e-mail address, with its groups and when it was last active. */
export async function listAccounts(db: Db): Promise<AccountSummary[]> {
  const rows = await db
    .selectFrom("users as u")
    .select((eb) => [
      "u.id",
      "u.email",
      "u.name",
      "u.role",
      "u.disabled_at",
      "u.created_at",
      eb
        .selectFrom("sessions as s")
        .select((s) => s.fn.max("s.last_seen_at").as("m"))
        .whereRef("s.user_id", "=", "u.id")
        .as("last_seen_at"),
      jsonArrayFrom(
        eb
          .selectFrom("user_working_groups as ug")
          .innerJoin("working_groups as wg", "wg.id", "ug.working_group_id")
          .select("wg.slug")
          .whereRef("ug.user_id", "=", "u.id")
          .orderBy("wg.sort_order"),
      ).as("groups"),
    ])
    .orderBy("u.email")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    groupSlugs: r.groups.map((g) => g.slug),
    disabledAt: r.disabled_at,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at) : null,
  }));
}

export const DEMO_ADMIN_EMAIL = "admin@needsmap.local";

/**
 * On a database without any account, creates the admin `admin@needsmap.local` with a random
 * password and returns the credentials (to be shown once); otherwise returns null.
 */
export async function ensureDemoAdmin(
  db: Db,
  logger: Logger,
): Promise<{ email: string; password: string } | null> {
  const any = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (any) return null;
  const password = readablePassword();
  const row = await db
    .insertInto("users")
    .values({
      email: DEMO_ADMIN_EMAIL,
      name: "Administrator",
      password_hash: await hashPassword(password),
      role: "admin",
    })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) return null;
  await audit(db, {
    user: null,
    action: "user.created",
    targetType: "user",
    targetId: row.id,
    details: { email: DEMO_ADMIN_EMAIL, role: "admin", demo: true },
  });
  logger.info("demo admin account created", { email: DEMO_ADMIN_EMAIL });
  return { email: DEMO_ADMIN_EMAIL, password };
}

/** The demo admin's credentials in a box that stands out in the start-up output. */
export function credentialsBox(email: string, password: string): string {
  const lines = [
    "A first administrator account has been created:",
    "",
    `  e-mail:    ${email}`,
    `  password:  ${password}`,
    "",
    "Sign in at /login, then change the password under Account.",
    "The password is shown only this once. To set a new one:",
    `  npm run user:create -- --email ${email} --password <new> --role admin`,
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const bar = "─".repeat(width + 2);
  return [`┌${bar}┐`, ...lines.map((l) => `│ ${l.padEnd(width)} │`), `└${bar}┘`].join("\n");
}
