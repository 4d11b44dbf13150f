import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Timestamps are written as Date or ISO strings and read back as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A timestamp with a database default that may also be set explicitly. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export type LocalizedText = Record<string, string>;

export type SurveyStatus = "draft" | "open" | "closed";
export type AccessMode = "open_link" | "invitation_only";
export type ResponseStatus = "in_progress" | "submitted";
export type UserRole = "admin" | "coordinator";
export type VersionOrigin = "file" | "editor" | "upload";
export type InvitationStatus = "active" | "revoked";
export type OutboxStatus = "queued" | "sending" | "sent" | "failed";
export type CountryGroup = "eu" | "ru" | "other";

export interface WorkingGroupTable {
  id: Generated<number>;
  slug: string;
  name: Json<LocalizedText>;
  description: Json<LocalizedText>;
  sort_order: number;
  created_at: CreatedAt;
}

export interface SurveyTable {
  id: Generated<number>;
  slug: string;
  working_group_id: number;
  status: SurveyStatus;
  access_mode: AccessMode;
  opens_at: Timestamp | null;
  closes_at: Timestamp | null;
  current_version_id: number | null;
  /** Path of the file in surveys/ the survey came from, if any. */
  source_file: string | null;
  /** Content hash of the file as last synchronised: an unchanged file never overwrites browser edits. */
  source_hash: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
  /** Respondents see the working group's outcome page, linked from the receipt. */
  outcome_page: Generated<boolean>;
}

export interface SurveyVersionTable {
  id: Generated<number>;
  survey_id: number;
  version: number;
  /** Expanded, validated definition (blocks included). Never updated. */
  definition: Json<unknown>;
  content_hash: string;
  /** The YAML the version was made from, for download and diff. */
  source_yaml: string;
  origin: VersionOrigin;
  created_by: number | null;
  created_at: CreatedAt;
  /** Set on the version of a Delphi round (2, 3, …); null on questionnaire versions. */
  delphi_round: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface InvitationTable {
  id: Generated<number>;
  survey_id: number;
  /** SHA-256 of the personal token; the token itself is never stored. */
  token_hash: string;
  name: string;
  email: string | null;
  country: string | null;
  organisation: string | null;
  locale: string;
  status: Generated<InvitationStatus>;
  created_by: number | null;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
  last_sent_at: Timestamp | null;
  last_activity_at: Timestamp | null;
}

export interface ResponseTable {
  id: Generated<string>;
  survey_id: number;
  survey_version_id: number;
  invitation_id: number | null;
  locale: string;
  status: Generated<ResponseStatus>;
  /** Client-generated key, unique per survey: a retried submit finds the same response. */
  idempotency_key: string;
  /** SHA-256 of the resume token of an anonymous response (a random token, never stored). */
  resume_token_hash: string | null;
  /** Answered on a shared computer: no cookie remembers this response in the browser. */
  shared_device: Generated<boolean>;
  /** Short human reference shown on the receipt. */
  reference: string | null;
  current_page: string | null;
  /** The browser page view that made the last draft save, and its number for that save. */
  draft_client: string | null;
  draft_revision: number | null;
  started_at: CreatedAt;
  updated_at: DefaultTimestamp;
  submitted_at: Timestamp | null;
  /** Respondent profile, copied from the answers when submitted, for fast filtering. */
  country: string | null;
  country_group: CountryGroup | null;
  org_type: string | null;
  sector: string | null;
  /**
   * The values of a submitted response's answer rows but need entries, by slot key
   * (`packedValues` in app/survey/storage.ts), written with the rows: what the exports read, one
   * column per response. Null until the response is submitted, and when no such row is stored.
   */
  answer_values: Json<Record<string, string | number | null>> | null;
}

export interface AnswerTable {
  id: Generated<string>;
  response_id: string;
  survey_id: number;
  question_key: string;
  item: string | null;
  option_code: string | null;
  value_num: number | null;
  value_text: string | null;
  value_json: Json<unknown> | null;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  role: UserRole;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
  password_changed_at: DefaultTimestamp;
  disabled_at: Timestamp | null;
}

export interface UserWorkingGroupTable {
  user_id: number;
  working_group_id: number;
}

export interface SessionTable {
  /** SHA-256 of the session id held in the cookie. */
  id_hash: string;
  user_id: number;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_seen_at: DefaultTimestamp;
}

export interface RateLimitTable {
  key: string;
  window_start: Timestamp;
  count: number;
}

export interface ThemeTable {
  id: Generated<number>;
  working_group_id: number;
  name: string;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface AnswerTagTable {
  answer_id: string;
  theme_id: number;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  user_id: number | null;
  actor: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json<Record<string, unknown>>;
  ip: string | null;
}

export interface EmailTemplateTable {
  id: Generated<number>;
  survey_id: number;
  kind: "invitation" | "reminder" | "round";
  locale: string;
  subject: string;
  body: string;
  updated_by: number | null;
  updated_at: DefaultTimestamp;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  survey_id: number;
  invitation_id: number | null;
  kind: "invitation" | "reminder" | "round";
  to_address: string;
  /** The invitee's language: the message is composed in it when sent. */
  locale: string;
  /** The public address in front of `/i/<token>`; the token is issued when the message is sent. */
  link_base: string;
  /** The Delphi round (2, 3, …) whose link a message of kind `round` carries; null otherwise. */
  delphi_round_id: number | null;
  /** As queued or as sent, with the personal link masked (`…/i/…`): never a working link. */
  subject: string;
  body: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: DefaultTimestamp;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export type DelphiParticipants = "previous" | "invited";
export type DelphiReasons = "required" | "optional" | "off";

/** A Delphi round (2, 3, …) of a survey: the items re-rated, its dates and who takes part. */
export interface DelphiRoundTable {
  id: Generated<number>;
  survey_id: number;
  round: number;
  /** The survey version marked as this round. */
  survey_version_id: number;
  /** Item ids (app/survey/delphi.ts), in the order they are asked. */
  items: Json<string[]>;
  opens_at: Timestamp;
  closes_at: Timestamp | null;
  participants: DelphiParticipants;
  /** Whether those who did not submit the previous round may join (marked as newcomers). */
  newcomers: Generated<boolean>;
  reasons: DelphiReasons;
  created_by: number | null;
  created_at: CreatedAt;
}

/** One participant's answers to one round: tied to their round-1 response, else their invitation. */
export interface DelphiParticipationTable {
  id: Generated<number>;
  round_id: number;
  response_id: string | null;
  invitation_id: number | null;
  newcomer: Generated<boolean>;
  locale: string;
  submitted_at: DefaultTimestamp;
}

export interface DelphiAnswerTable {
  participation_id: number;
  item: string;
  value_num: number;
  reason: string | null;
}

export type NeedStatus = "proposed" | "validated" | "in_progress" | "addressed" | "declined";
export type NeedHorizon = "short_term" | "medium_term";
export type EvidenceKind = "category" | "borich" | "theme";

export interface NeedTable {
  id: Generated<number>;
  title: Json<LocalizedText>;
  description: Json<LocalizedText>;
  category: string | null;
  horizon: NeedHorizon;
  status: Generated<NeedStatus>;
  owner: string | null;
  notes: string | null;
  /** Set when the need was merged into another one (its history and evidence stay readable). */
  merged_into: number | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface NeedGroupTable {
  need_id: number;
  working_group_id: number;
}

export interface NeedStatusEventTable {
  id: Generated<number>;
  need_id: number;
  status: NeedStatus;
  reason: string | null;
  /** The day the status was reached (YYYY-MM-DD). */
  on_date: ColumnType<string, string, string>;
  user_id: number | null;
  actor: string;
  created_at: CreatedAt;
}

/** Figures of a survey result as the dashboard showed them when the evidence was linked. */
export interface EvidenceFigures {
  respondents: number | "suppressed" | "withheld" | null;
  priority?: { mean: number; ciLower: number | null; ciUpper: number | null } | null;
  mwds?: number | null;
  answers?: number | "suppressed" | "withheld" | null;
}

export interface NeedEvidenceTable {
  id: Generated<number>;
  need_id: number;
  /** The need it was linked to before a merge; null when linked to this need. */
  origin_need_id: number | null;
  kind: EvidenceKind;
  working_group_id: number;
  survey_id: number | null;
  survey_slug: string;
  survey_version: number;
  question_key: string;
  /** Need category code, Borich statement code or theme id. */
  code: string;
  label: Json<LocalizedText>;
  figures: Json<EvidenceFigures>;
  linked_by: number | null;
  linked_at: CreatedAt;
}

export type ProgrammeType =
  | "joint_call"
  | "mobility_grant"
  | "fellowship"
  | "infrastructure_access"
  | "networking"
  | "other";
export type ProgrammeStatus = "open" | "recurring" | "closed" | "suspended" | "unknown";

export interface ProgrammeTable {
  id: Generated<number>;
  code: string;
  name: Json<LocalizedText>;
  funder: Json<LocalizedText>;
  countries: Json<string[]>;
  type: ProgrammeType;
  eligibility: Json<LocalizedText>;
  url: string;
  next_deadline: ColumnType<string | null, string | null | undefined, string | null>;
  status: ProgrammeStatus;
  status_note: Json<LocalizedText>;
  sort_order: number;
  /** Hash of the catalogue entry as last loaded: an unchanged entry never overwrites browser edits. */
  source_hash: string | null;
  updated_by: number | null;
  updated_at: DefaultTimestamp;
}

export type CoverageFit = "full" | "partial" | "weak";

export interface NeedProgrammeTable {
  need_id: number;
  programme_id: number;
  fit: CoverageFit;
  note: string | null;
  created_by: number | null;
  created_at: CreatedAt;
}

/**
 * Counts and sums of the dashboards per survey version, facet, key and margin (decision 045;
 * app/server/aggregates.server.ts). Sums are numeric: adding and subtracting is exact.
 */
export interface DashboardAggregateTable {
  survey_id: number;
  survey_version_id: number;
  /** week, profile, count, resp, need, need_answered, borich. */
  facet: string;
  /** '' (every respondent) or a profile dimension: country_group, country, org_type, sector. */
  dim: string;
  dim_value: string;
  question_key: string;
  item: string | null;
  code: string | null;
  value: number | null;
  /** Need facet: '' over every country group, else the respondents' country group. */
  cg: string;
  n: string;
  e: string;
  x: string;
  xx: string;
  y: string;
  yy: string;
  z: string;
  zz: string;
}

/** A change of the submitted responses not yet applied to the aggregates. */
export interface AggregateQueueTable {
  id: Generated<string>;
  response_id: string;
  sign: 1 | -1;
  survey_id: number;
  survey_version_id: number;
  submitted_at: Timestamp | null;
  country: string | null;
  country_group: string | null;
  org_type: string | null;
  sector: string | null;
}

/** A findings report's executive summary as a coordinator edited it, per survey and language. */
export interface ReportSummaryTable {
  survey_id: number;
  locale: string;
  text: string;
  /** The generated summary the edit started from (it differs from today's when the figures changed). */
  generated_from: string;
  updated_by: number | null;
  updated_at: DefaultTimestamp;
}

/** A coordinator's comment on one section of a survey's findings report. */
export interface ReportCommentTable {
  survey_id: number;
  section: string;
  text: string;
  updated_by: number | null;
  updated_at: DefaultTimestamp;
}

/**
 * The shared category of a need category, per survey version and need question, as the
 * survey's merged versions declare it (app/server/surveys.server.ts, refreshSharedCategories).
 */
export interface NeedSharedCategoryTable {
  survey_version_id: number;
  question_key: string;
  code: string;
  survey_id: number;
  shared: string;
}

/** The answers of a deleted response whose subtraction is pending. */
export interface AggregateQueueAnswerTable {
  response_id: string;
  question_key: string;
  item: string | null;
  option_code: string | null;
  value_num: number | null;
  value_json: Json<unknown> | null;
}

export interface Database {
  working_groups: WorkingGroupTable;
  surveys: SurveyTable;
  survey_versions: SurveyVersionTable;
  invitations: InvitationTable;
  responses: ResponseTable;
  answers: AnswerTable;
  users: UserTable;
  user_working_groups: UserWorkingGroupTable;
  sessions: SessionTable;
  rate_limits: RateLimitTable;
  themes: ThemeTable;
  answer_tags: AnswerTagTable;
  audit_log: AuditLogTable;
  email_templates: EmailTemplateTable;
  email_outbox: EmailOutboxTable;
  needs: NeedTable;
  need_groups: NeedGroupTable;
  need_status_events: NeedStatusEventTable;
  need_evidence: NeedEvidenceTable;
  programmes: ProgrammeTable;
  need_programmes: NeedProgrammeTable;
  delphi_rounds: DelphiRoundTable;
  delphi_participations: DelphiParticipationTable;
  delphi_answers: DelphiAnswerTable;
  dashboard_aggregates: DashboardAggregateTable;
  aggregate_queue: AggregateQueueTable;
  aggregate_queue_answers: AggregateQueueAnswerTable;
  report_summaries: ReportSummaryTable;
  report_comments: ReportCommentTable;
  need_shared_categories: NeedSharedCategoryTable;
}

export type WorkingGroup = Selectable<WorkingGroupTable>;
export type Survey = Selectable<SurveyTable>;
export type NewSurvey = Insertable<SurveyTable>;
export type SurveyUpdate = Updateable<SurveyTable>;
export type SurveyVersion = Selectable<SurveyVersionTable>;
export type Invitation = Selectable<InvitationTable>;
export type NewInvitation = Insertable<InvitationTable>;
export type Response = Selectable<ResponseTable>;
export type NewResponse = Insertable<ResponseTable>;
export type Answer = Selectable<AnswerTable>;
export type NewAnswer = Insertable<AnswerTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Session = Selectable<SessionTable>;
export type Theme = Selectable<ThemeTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
export type EmailOutboxMessage = Selectable<EmailOutboxTable>;
