/**
 * What the controls need from context.webAPI, and how its failures are told apart. A privilege failure
 * (the user lacks the Rapport Reader role, or may not read an activity) is not an error to report but a
 * state to show.
 */
export type WebApi = Pick<
  ComponentFramework.WebApi,
  "retrieveRecord" | "retrieveMultipleRecords" | "createRecord"
>;

/** Dataverse's PrivilegeDenied (0x80040220) and prvRead denials, as numbers and as hex. */
const PRIVILEGE_CODES = new Set([-2147220960, 0x80040220]);

/** True when a webAPI rejection says the user lacks a privilege (HTTP 403 or Dataverse's privilege codes). */
export function isPrivilegeError(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const r = e as {
    errorCode?: unknown;
    code?: unknown;
    status?: unknown;
    httpStatusCode?: unknown;
    message?: unknown;
  };
  if (r.status === 403 || r.httpStatusCode === 403) return true;
  if (typeof r.errorCode === "number" && PRIVILEGE_CODES.has(r.errorCode)) return true;
  if (typeof r.code === "string" && /^0x80040220$/i.test(r.code)) return true;
  return (
    typeof r.message === "string" && /missing prv\w+ privilege|insufficient privileges?/i.test(r.message)
  );
}

/** True when the row does not exist (deleted since the lookup was set, or never published). */
export function isNotFound(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const r = e as { errorCode?: unknown; code?: unknown; status?: unknown; httpStatusCode?: unknown };
  return (
    r.status === 404 ||
    r.httpStatusCode === 404 ||
    r.errorCode === -2147220969 ||
    (typeof r.code === "string" && /^0x80040217$/i.test(r.code))
  );
}

/** The message of a rejection, for the error state (never a stack). */
export function messageOf(e: unknown): string {
  if (typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string")
    return (e as { message: string }).message;
  return String(e);
}

/** Entity set paths for @odata.bind. */
export const ENTITY_SET: Record<string, string> = {
  contact: "contacts",
  lead: "leads",
  opportunity: "opportunities",
  account: "accounts",
  systemuser: "systemusers",
  email: "emails",
  appointment: "appointments",
  phonecall: "phonecalls",
  task: "tasks",
};

/** Activity table of a history item's kind. */
export const ACTIVITY_TABLE: Record<string, string> = {
  email: "email",
  meeting: "appointment",
  call: "phonecall",
  task: "task",
};
