import type { Migration } from "kysely/migration";
import * as initial from "./2026_11_29_0001_initial";
import * as responsesExportOrder from "./2026_11_29_0002_responses_export_order";
import * as responsesDraftRevision from "./2026_11_29_0003_responses_draft_revision";
import * as resumeLinksAndSharedDevices from "./2026_12_05_0008_resume_links_and_shared_devices";
import * as outboxLinksAtSend from "./2026_12_05_0009_outbox_links_at_send";
import * as delphiRounds from "./2026_12_05_0015_delphi_rounds";

import * as needsRegister from "./2026_12_05_0016_needs_register";
import * as dashboardAggregates from "./2026_12_06_0001_dashboard_aggregates";
import * as roundEmails from "./2026_12_06_0301_round_emails";
import * as reportNotes from "./2026_12_07_0301_report_notes";
import * as needSharedCategories from "./2026_12_08_0001_need_shared_categories";
import * as responseAnswerValues from "./2026_12_08_0101_response_answer_values";

/**
 * Every migration, by name. Names start with their date so that they sort in the order they
 * were written. Listed statically (not read from the file system) so that the bundled
 * production server carries them.
 */
export const migrations: Record<string, Migration> = {
  "2026_11_29_0001_initial": initial,
  "2026_11_29_0002_responses_export_order": responsesExportOrder,
  "2026_11_29_0003_responses_draft_revision": responsesDraftRevision,
  "2026_12_05_0008_resume_links_and_shared_devices": resumeLinksAndSharedDevices,
  "2026_12_05_0009_outbox_links_at_send": outboxLinksAtSend,
  "2026_12_05_0015_delphi_rounds": delphiRounds,

  "2026_12_05_0016_needs_register": needsRegister,
  "2026_12_06_0001_dashboard_aggregates": dashboardAggregates,
  "2026_12_06_0301_round_emails": roundEmails,
  "2026_12_07_0301_report_notes": reportNotes,
  "2026_12_08_0001_need_shared_categories": needSharedCategories,
  "2026_12_08_0101_response_answer_values": responseAnswerValues,
};
