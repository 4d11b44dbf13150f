import type { Db } from "#db/client";

/** Who did it: a signed-in staff member, or null for the system (start-up, command line). */
export interface AuditActor {
  id: number;
  email: string;
}

export interface AuditEvent {
  user: AuditActor | null;
  /** Dotted verb such as `user.created`, `auth.signed_in`, `survey.published`. */
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  details?: Record<string, unknown>;
  ip?: string | null;
  /** Name recorded when there is no user, e.g. `cli`; defaults to `system`. */
  actor?: string;
}

/** Writes one entry to the audit log. Pass a transaction to record it with the change itself. */
export async function audit(db: Db, event: AuditEvent): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      user_id: event.user?.id ?? null,
      actor: event.user?.email ?? event.actor ?? "system",
      action: event.action,
      target_type: event.targetType ?? null,
      target_id: event.targetId == null ? null : String(event.targetId),
      details: JSON.stringify(event.details ?? {}),
      ip: event.ip ?? null,
    })
    .execute();
}
