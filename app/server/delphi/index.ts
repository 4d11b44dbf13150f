/**
 * Delphi rounds (this folder's entry; docs/decisions/037-delphi-rounds.md):
 * rounds.server.ts (starting rounds, from the staff page or the questionnaire file),
 * ratings.server.ts (the panel's ratings per round), consensus.server.ts (figures per item and
 * round, the consensus table), participate.server.ts (a participant's round: access, feedback,
 * storing ratings), round-mail.server.ts (e-mailing invited participants their round link),
 * view.ts (the plain view objects that components render).
 */
export * from "./consensus.server";
export * from "./participate.server";
export * from "./ratings.server";
export * from "./round-mail.server";
export * from "./rounds.server";
export type * from "./view";
