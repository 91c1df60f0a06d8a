/**
 * Every string the preview host shows, in one table so that it can be translated. The controls and the
 * settings page carry their own strings (resx and webresources/settings/src/strings.ts).
 */
export const STRINGS = {
  appName: "Rapport",
  previewBadge: "Local preview",
  navLabel: "Sitemap",
  settings: "Settings",
  signedInAs: "Signed in as",
  theme: "Dark theme",
  view: "View",
  loading: "Loading…",
  noUsers: "No users in this org yet.",
  loadFailed: "Could not load this page",
  retry: "Retry",
  records: (n: number) => `${n} record${n === 1 ? "" : "s"}`,
  empty: "No records in this view.",
  recordNotFound: "This record does not exist (any more).",
  backToList: "Back to the list",
  summary: "Summary",
  noInsight: "Rapport has not scored this record yet.",
  emailTitle: "Email (draft)",
  emailFrom: "From",
  emailTo: "To",
  emailRegarding: "Regarding",
  emailSubject: "Subject",
  emailBody: "Message",
  emailNote: "A draft in Dataverse: sending it is up to you (in an org, from Outlook or the email form).",
  settingsFrame: "Rapport settings",
  notFound: "There is no such page.",
} as const;
