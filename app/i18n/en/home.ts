export const home = {
  title: "Working groups and their surveys",
  intro:
    "Members of the programme's thematic working groups tell us what they need for cooperation in the next two years (short term) and in two to five years (medium term): funding instruments, mobility, access to research infrastructures, framework conditions, information and partner search. Choose your working group's survey below.",
  openSurveys: "Open surveys",
  noOpenSurveys: "No survey is open for this working group at the moment.",
  estimated: "About {minutes}",
  invitationOnly: "By personal invitation only",
  closesOn: "Open until {date}",
  start: "Open the survey",
} as const;
