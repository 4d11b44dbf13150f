// Staff accounts of the end-to-end database (created by setup-accounts.ts before the server starts).
export const E2E_PASSWORD = "e2e-password-0123";

export const E2E_ACCOUNTS = {
  admin: { email: "admin@e2e.test", name: "Ada Admin", role: "admin", groups: [] as string[] },
  coordinator: { email: "health@e2e.test", name: "Hugo Health", role: "coordinator", groups: ["health"] },
} as const;
