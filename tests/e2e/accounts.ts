// Staff accounts of the end-to-end database (created by setup-accounts.ts before the server starts).
export const E2E_PASSWORD = "e2e-password-0123";

export const E2E_ACCOUNTS = {
  admin: { email: "admin@e2e.test", name: "Ada Admin", role: "admin", groups: [] as string[] },
  coordinator: { email: "health@e2e.test", name: "Hugo Health", role: "coordinator", groups: ["health"] },
  /** Runs a survey round of its group in tests/e2e/manage.spec.ts (publishes surveys there). */
  surveyManager: { email: "mobility@e2e.test", name: "Mona Mobility", role: "coordinator", groups: ["mobility"] },
  /** Coordinator of the energy group in tests/e2e/dashboards.spec.ts (tags answers, adds themes). */
  energy: { email: "energy@e2e.test", name: "Enzo Energy", role: "coordinator", groups: ["energy"] },
  /** Keeps the needs register of the food group in tests/e2e/needs-register.spec.ts. */
  food: { email: "food@e2e.test", name: "Fiona Food", role: "coordinator", groups: ["food-agri-bio"] },
} as const;
