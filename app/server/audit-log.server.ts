import { sql } from "kysely";
import type { Db } from "#db/client";

/** Browsing the audit log (administrators): newest first, filtered by action, user and date. */

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilter {
  /** An exact action (`survey.publish`) or a prefix ending in a dot (`survey.`). */
  action?: string | null;
  /** Part of the actor's e-mail address or name (`system`, `cli`, `email-sender`). */
  user?: string | null;
  /** YYYY-MM-DD, inclusive, UTC. */
  from?: string | null;
  to?: string | null;
  page?: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function normalizeAuditFilter(params: URLSearchParams): Required<AuditFilter> {
  const text = (name: string) => params.get(name)?.trim() || null;
  const day = (name: string) => {
    const v = text(name);
    return v && DAY.test(v) && !Number.isNaN(Date.parse(v)) ? v : null;
  };
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    action: text("action"),
    user: text("user"),
    from: day("from"),
    to: day("to"),
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 100_000) : 1,
  };
}

export async function listAuditEntries(
  db: Db,
  filter: AuditFilter,
): Promise<{ rows: AuditRow[]; total: number; page: number; pages: number }> {
  let q = db.selectFrom("audit_log");
  if (filter.action) {
    q = filter.action.endsWith(".")
      ? q.where("action", "like", `${filter.action.replace(/[\\%_]/g, "\\$&")}%`)
      : q.where("action", "=", filter.action);
  }
  if (filter.user)
    q = q.where(
      sql<string>`lower(actor)`,
      "like",
      `%${filter.user.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`,
    );
  if (filter.from) q = q.where("at", ">=", new Date(`${filter.from}T00:00:00Z`));
  if (filter.to)
    q = q.where(
      "at",
      "<",
      sql<Date>`${new Date(`${filter.to}T00:00:00Z`)}::timestamptz + interval '1 day'`,
    );
  const { total } = await q
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  const pages = Math.max(1, Math.ceil(Number(total) / AUDIT_PAGE_SIZE));
  const page = Math.min(filter.page ?? 1, pages);
  const rows = await q
    .select(["id", "at", "actor", "action", "target_type", "target_id", "details", "ip"])
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return {
    total: Number(total),
    page,
    pages,
    rows: rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: r.details,
      ip: r.ip,
    })),
  };
}

/** The actions recorded so far, for the filter's list. */
export async function auditActions(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom("audit_log")
    .select("action")
    .distinct()
    .orderBy("action")
    .execute();
  return rows.map((r) => r.action);
}
