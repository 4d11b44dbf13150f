export const respond = {
  landing: {
    workingGroup: "Working group: {group}",
    estimated: "Answering takes about {minutes}.",
    purposeHeading: "Why we ask",
    privacyHeading: "Your answers and your privacy",
    privacyStored:
      "We store your answers, the language you chose and when you started and submitted. We do not store your IP address with your answers.",
    privacyAnonymous:
      "This survey is anonymous: we do not ask for your name or e-mail address, and your answers are not linked to you. Only the general questions about your organisation (country, type, sector) are used to compare groups.",
    privacyInvitation:
      "You answer through a personal invitation: your answers are linked to the invitation so that the coordinators know who has answered. They are not published with your name.",
    privacyWhoSees:
      "The coordinators of the working group and the programme administrators see the answers. Reports show only combined figures, never fewer than {min} respondents in a group.",
    privacyResume:
      "You can stop at any time and continue later, also on another device, with the personal link you get after starting. Your answers are submitted only when you press Submit at the end.",
    startHeading: "Start the survey",
    languageLegend: "Language of the questionnaire",
    languageHint: "You can change it on every page without losing your answers.",
    start: "Start",
    resumeHeading: "Answers started on this device",
    resumeQuestion: "Continue the answers started on this device on {date}?",
    resumeHint:
      "If someone else started them, choose Start afresh: this device forgets them, and whoever started them can still continue with their own link.",
    resumeContinue: "Continue",
    resumeAfresh: "Start afresh",
    sharedDevice: "This is a shared computer (for example in a library or a meeting room)",
    sharedDeviceHint:
      "This browser then keeps nothing in its cookies that leads back to your answers, and the receipt does not show your answers here. To continue later, keep the link shown by “Save and continue later”. Close the browser window when you finish.",
    invitationOnly:
      "This survey is open to invited members only. Please use the personal link from your invitation e-mail.",
    keyUsed:
      "This start form has already been used. If you started the survey, continue with your personal link; otherwise start again now.",
  },
  invitation: {
    greeting: "Welcome, {name}",
    personal:
      "This is your personal invitation. Please do not forward the link: it opens your own response.",
    inProgress: "You have already started. Your answers so far are saved.",
    continue: "Continue your response",
    submittedTitle: "Already submitted",
    submittedText:
      "The response to this invitation was submitted on {date} with the reference {reference}.",
    submittedNoAnswers:
      "For your privacy the answers are not shown here. If something needs correcting, contact the working group's coordinators.",
    revokedTitle: "This invitation has been withdrawn",
    revokedText:
      "The personal link you used is no longer valid. If you think this is a mistake, contact the working group's coordinators.",
    unknownTitle: "Invitation not found",
    unknownText:
      "This personal link is not valid. Check that you copied the whole link from your invitation e-mail.",
  },
  unavailable: {
    unknownTitle: "Survey not found",
    unknownText:
      "There is no survey at this address. Check the link, or choose a survey on the home page.",
    draftTitle: "This survey has not been published",
    draftText: "The survey is still being prepared and does not accept answers yet.",
    notYetOpenTitle: "This survey is not open yet",
    notYetOpenText: "The survey opens on {date}. Please come back then.",
    closedTitle: "This survey is closed",
    closedText: "The survey no longer accepts answers. Thank you for your interest.",
    closedOn: "It closed on {date}.",
    closedInProgress: "Answers you saved are kept, but they can no longer be submitted.",
    responseUnknownTitle: "Link not found",
    responseUnknownText:
      "This link does not open a response. Check that you copied the whole link; if you lost it, you can start the survey again.",
    invitationRequiredTitle: "Personal invitation needed",
    invitationOnlyInProgress:
      "This survey now accepts answers only through personal invitations, so a response started through the open link can no longer be changed or submitted. The answers given so far are kept but not counted. If you were invited, please answer through the personal link from your invitation.",
    backHome: "Go to the list of surveys",
  },
  page: {
    progress: "Page {current} of {total}",
    progressLabel: "Progress through the questionnaire",
    required: "(required)",
    optional: "(optional)",
    next: "Next",
    back: "Back",
    save: "Save and continue later",
    toReview: "Review your answers",
    languageLabel: "Change the language (your answers are kept)",
    errorSummaryTitle: "There is a problem",
    errorPrefix: "Error:",
    moreQuestions:
      "Your answers opened more questions on this page. Please look at them before you continue.",
    autosaveIdle: "Your answers are saved when you move to another page.",
    autosaveOn: "Your answers are saved automatically as you go.",
    autosaveSaving: "Saving…",
    autosaveSaved: "Saved at {time}",
    autosaveFailed: "Not saved: check your connection. Your answers are still on this page.",
    autosaveTooLong: "Not saved: an answer is longer than its limit. Shorten it and it will be saved.",
    notAccepted: "This survey no longer accepts answers.",
  },
  question: {
    choose: "Choose…",
    otherOption: "Other, please specify",
    otherText: "Please specify",
    chooseBetween: "Choose from {min} to {max} options.",
    chooseAtLeast: {
      one: "Choose at least {count} option.",
      other: "Choose at least {count} options.",
    },
    chooseAtMost: {
      one: "Choose at most {count} option.",
      other: "Choose at most {count} options.",
    },
    scaleEnds: "{min} = {minLabel}, {max} = {maxLabel}",
    maxLength: { one: "Up to {count} character.", other: "Up to {count} characters." },
    charactersLeft: {
      one: "You have {count} character left.",
      other: "You have {count} characters left.",
    },
    charactersOver: {
      one: "You have {count} character too many.",
      other: "You have {count} characters too many.",
    },
    numberBetween: "Enter a number from {min} to {max}.",
    numberAtLeast: "Enter a number of at least {min}.",
    numberAtMost: "Enter a number of at most {max}.",
    wholeNumber: "Whole numbers only.",
    dateHint: "For example 2027-06-30.",
    dateBetween: "A date from {min} to {max}.",
    country: "Choose a country",
    countryFilter: "Filter the list of countries",
    countryFilterHint: "Type part of the name, then choose from the list below.",
    countryMatches: { one: "{count} country matches.", other: "{count} countries match." },
    rankHint: "Give each item a different position: 1 is the most important.",
    position: "Position of “{item}”",
    moveUp: "Move “{item}” up",
    moveDown: "Move “{item}” down",
    up: "Up",
    down: "Down",
    needEntry: "Need {number}",
    needNew: "New need",
    needTitle: "Short title",
    needDescription: "Description (optional)",
    needCategory: "Category",
    needHorizon: "Time horizon",
    horizons: {
      short_term: "Short term (up to 2 years)",
      medium_term: "Medium term (2 to 5 years)",
    },
    needUrgency: "Urgency",
    needUrgencyHint: "1 = can wait, 5 = very urgent",
    needImportance: "Importance",
    needImportanceHint: "1 = minor, 5 = essential",
    needAdd: "Add a need",
    needAddAnother: "Add another need",
    needRemove: "Remove need {number}",
    needLimits: "Describe between {min} and {max} needs.",
    needMax: {
      one: "You can describe up to {count} need.",
      other: "You can describe up to {count} needs.",
    },
    needMaxReached: "You have described the largest number of needs this question accepts.",
    needEmpty: "No need described yet.",
    borichStatement: "Statement",
    borichImportance: "Importance",
    borichCurrent: "Current level",
    borichImportanceOf: "Importance: {statement}",
    borichCurrentOf: "Current level: {statement}",
    borichHint:
      "For each statement, rate how important it is (1 = not important, 5 = essential) and your current level (1 = very low, 5 = very high).",
    rowOf: "{row}",
  },
  review: {
    title: "Check your answers",
    intro: "Please check your answers. You can change any of them before you submit.",
    change: "Change",
    changeHidden: "your answer to “{question}”",
    notAnswered: "Not answered",
    needsAttention: "This answer needs attention",
    problemsTitle: "Some answers need attention",
    problemsIntro: "Please correct these answers before you submit:",
    submitHeading: "Submit your response",
    submitText:
      "When you submit, your answers are sent to the working group and can no longer be changed.",
    submit: "Submit",
    otherAnswer: "Other: {text}",
    rank: "{rank}. {item}",
    ratingPair: "importance {importance}, current level {current}",
    needMeta: "{category} · {horizon} · urgency {urgency}/5 · importance {importance}/5",
  },
  saved: {
    title: "Your answers are saved",
    text: "You can close this page and continue later, on this or another device.",
    linkLabel: "Your personal link to continue",
    linkHint:
      "Bookmark this link or send it to yourself. Anyone with the link can see and change your answers, so keep it private.",
    invitationText: "To continue, open the personal link from your invitation e-mail again.",
    continue: "Continue now",
    savedAt: "Last saved: {time}",
    sharedDevice:
      "You said this is a shared computer, so this browser does not remember your answers. Copy the link somewhere private (not into this browser's bookmarks) and close the browser window when you are done.",
  },
  done: {
    title: "Thank you",
    submitted: "Your response has been submitted.",
    receiptHeading: "Your receipt",
    reference: "Reference number",
    submittedAt: "Submitted",
    survey: "Survey",
    keepReference: "Keep the reference number if you want to ask about your response.",
    answersHeading: "Your answers",
    print: "Print this page",
    answersHidden:
      "For your privacy the answers are shown only on the device that submitted them, right after submitting.",
    home: "Go to the list of surveys",
  },
  errors: {
    tooLarge:
      "The form is too large to be processed (the limit is 1 MB). Please shorten your longest answers.",
    badIntent: "The form was sent with an unknown action. Please use the buttons on the page.",
    badForm: "The form could not be read. Please try again.",
    tooMany:
      "Too many surveys have been started or submitted from your network in the last hour. Your answers are saved; please try again later.",
    unknownPage: "This questionnaire has no such page.",
    draftTooLarge:
      "Your answers together are too large to be saved (the limit is 1 MB). Please shorten your longest answers.",
    alreadySubmitted: "This response has already been submitted and can no longer be changed.",
    invitationRevoked:
      "This invitation has been withdrawn, so its answers can no longer be changed.",
  },
  meta: {
    page: "{page} — {survey}",
  },
} as const;
