/** The maintenance database on the same server as `url`, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = "/postgres";
  return u.toString();
}

export function templateName(runId: string): string {
  return `needsmap_tpl_${runId}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
