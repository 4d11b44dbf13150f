export const outcomes = {
  title: "{group}: what happened to your answers",
  intro: "The working group read the answers to its survey and confirmed these needs. Each shows where it stands now.",
  none: "The working group has not confirmed any need yet. Come back later.",
  caption: "Confirmed needs and their status",
  need: "Need",
  horizon: "Horizon",
  status: "Status",
  since: "since {date}",
  statuses: { validated: "Confirmed", in_progress: "Being acted on", addressed: "Addressed" },
  horizons: { short_term: "Short term (up to 2 years)", medium_term: "Medium term (2–5 years)" },
  privacy: "This page shows no names, no answers and no figures about respondents.",
  receiptLink: "What happened to your answers",
};
