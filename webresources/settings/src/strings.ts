/**
 * Every user-visible string of the settings page, keyed for localisation: add a language by adding a
 * table with the same keys (the type checks none is missing). Placeholders are `{name}`.
 */
const en = {
  pageTitle: "Rapport settings",
  pageIntro:
    "How Rapport judges relationships in this organisation. Changes apply at the next recompute (daily, or Recompute now).",
  loading: "Loading settings…",
  loadFailed: "The settings could not be loaded",
  retry: "Try again",
  errorCode: "Code: {code}",
  errorStatus: "HTTP status {status}",
  emptyTitle: "No settings saved yet",
  emptyBody: "The defaults are shown. Save creates the settings row.",

  featuresHeading: "Features",
  analytics: "Relationship analytics",
  analyticsHint:
    "Health, trend, KPIs and history on contacts, leads, opportunities and accounts. Off: removed.",
  whoKnowsWhom: "Who knows whom",
  whoKnowsWhomHint: "Colleagues who know a person or company. Off: connections and introducers are removed.",
  m365: "Microsoft 365 data",
  m365Hint: "Mail and calendar metadata from Microsoft 365. Off: only activities tracked in Dataverse count.",
  on: "On",
  off: "Off",

  weightsHeading: "Activity influence",
  weightsHint: "How much each kind of activity counts, from −50% to +50%. All count the same by default.",
  weight_email: "Emails",
  weight_meeting: "Meetings",
  weight_phonecall: "Phone calls",
  weight_task: "Tasks",

  cadenceHeading: "Expected communication frequency",
  cadenceHint: "A longer expected frequency expects fewer recent interactions before health drops.",
  cadence_contact: "Contacts",
  cadence_lead: "Leads",
  cadence_opportunity: "Opportunities",
  cadence_account: "Accounts",
  cadence_daily: "Once a day",
  cadence_fewDays: "Once every few days",
  cadence_weekly: "Once a week",
  cadence_fewWeeks: "Once every couple of weeks",
  cadence_monthly: "Once a month",

  gradesHeading: "Health grades",
  gradesHint: "Scores from Good up are Good; from Fair up to Good are Fair; below Fair are Poor.",
  good: "Good from",
  fair: "Fair from",
  goodRange: "Enter a whole number from 2 to 100.",
  fairRange: "Enter a whole number from 1 to 99.",
  goodAboveFair: "Good ({good}) must be higher than Fair ({fair}).",

  dataHeading: "Organisation and exclusions",
  orgDomains: "Organisation domains",
  orgDomainsHint: "Your own e-mail domains (one per line), in addition to those of your users.",
  excludedDomains: "Excluded domains",
  excludedDomainsHint: "Nobody at these domains is ever read or shown (one per line), e.g. a law firm.",
  excludedAddresses: "Excluded people",
  excludedAddressesHint: "These addresses are never read or shown (one per line).",
  invalidDomains: "Not a domain: {items}",
  invalidAddresses: "Not an e-mail address: {items}",

  privacyHeading: "Privacy",
  optedOut: "Colleagues who opted out",
  optedOutHint: "Their mail is not read and they are never shown as introducers. Search by name or e-mail.",
  optedOutSearch: "Find a colleague",
  optedOutNone: "No colleague has opted out.",
  optedOutRemove: "Remove {name}",
  searching: "Searching…",
  noMatch: "No colleague matches.",
  forget: "Forget a person",
  forgetHint:
    "Excludes the address from every source and deletes their who-knows-whom rows and introductions now; their insights are rewritten by the next recompute.",
  forgetButton: "Forget this person…",
  forgetInvalid: "Enter an e-mail address.",
  forgetConfirmTitle: "Forget {address}?",
  forgetConfirmBody:
    "{address} will be added to the excluded people, and every who-knows-whom row and introduction about them or by them will be deleted. This cannot be undone.",
  forgetConfirm: "Forget",
  cancel: "Cancel",
  forgetting: "Forgetting {address}…",
  forgot: "Forgot {address}: {count} who-knows-whom rows and {introductions} introductions deleted.",
  forgetFailed: "Could not forget {address}: {message}",

  wkwHeading: "Who knows whom",
  roles: "Security roles allowed to see who knows whom",
  rolesHint:
    "One role name or id per line; empty: every role with read access to Connections. This page cannot list the org's roles: type them.",
  template: "Introduction request template",
  templateHint:
    "Placeholders: {colleague} the colleague's name, {colleagueFirstName} their first name, {person} the person to meet, {company} their company, {me} your name. A first line 'Subject: …' sets the subject. Empty: the built-in text.",
  cap: "Open requests per colleague",
  capHint: "The most open introduction requests a colleague is sent at once. Empty: 3.",
  capRange: "Enter a whole number from 1 to 50, or leave it empty for 3.",
  cooldown: "Days before asking again after a decline",
  cooldownHint:
    "After a colleague declines, the same seller cannot ask them again for this many days. Empty: 30.",
  cooldownRange: "Enter a whole number from 0 to 365, or leave it empty for 30.",

  save: "Save",
  saving: "Saving…",
  saved: "Settings saved.",
  saveFailed: "Saving failed: {message}",
  fixErrors: "Fix the highlighted fields before saving.",
  unsaved: "Unsaved changes",
  recompute: "Recompute now",
  recomputing: "Recompute requested…",
  recomputed: "Recompute done.",
  recomputeFailed: "Recompute failed: {message}",
};

export type StringKey = keyof typeof en;
export type StringTable = Record<StringKey, string>;

export const STRINGS: Record<string, StringTable> = { en };

/** The strings for a language tag (en-GB → en), English when there is no table for it. */
export function stringsFor(lang: string | undefined): StringTable {
  const base = (lang ?? "en").toLowerCase().split("-")[0] ?? "en";
  return STRINGS[base] ?? en;
}

/** Fill `{name}` placeholders; an unknown placeholder stays as written. */
export function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m,
  );
}
