/**
 * What the controls need from context.webAPI, and how its failures are told apart. A privilege failure
 * (the user lacks the Rapport Reader role, or may not read an activity) is not an error to report but a
 * state to show.
 */
export type WebApi = Pick<
  ComponentFramework.WebApi,
  "retrieveRecord" | "retrieveMultipleRecords" | "createRecord" | "updateRecord"
>;

/** The Web API's root on the host's origin (a model-driven app's, or the local preview's). */
export const WEB_API_ROOT = "/api/data/v9.2/";

/**
 * Shares a user-owned row with a user (Dataverse's GrantAccess action), which context.webAPI cannot call:
 * a POST on the host's origin, signed in by the browser's session as webAPI's own calls are.
 * `rights` as the AccessMask spells them, e.g. "ReadAccess, WriteAccess".
 */
export async function grantAccess(
  target: { table: string; id: string },
  userId: string,
  rights: string,
  post: typeof fetch = fetch,
): Promise<void> {
  const body = {
    Target: { [`${target.table}id`]: target.id, "@odata.type": `Microsoft.Dynamics.CRM.${target.table}` },
    PrincipalAccess: {
      Principal: { systemuserid: userId, "@odata.type": "Microsoft.Dynamics.CRM.systemuser" },
      AccessMask: rights,
    },
  };
  const res = await post(`${WEB_API_ROOT}GrantAccess`, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "OData-MaxVersion": "4.0",
      "OData-Version": "4.0",
    },
    body: JSON.stringify(body),
  });
  if (res.ok) return;
  let message = `${res.status} ${res.statusText}`;
  try {
    const e = ((await res.json()) as { error?: { message?: unknown } }).error;
    if (typeof e?.message === "string") message = e.message;
  } catch {
    // Not JSON: the status says enough.
  }
  throw Object.assign(new Error(`Sharing the ${target.table} failed: ${message}`), { status: res.status });
}

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
  rp_introduction: "rp_introductions",
};

/** Activity table of a history item's kind. */
export const ACTIVITY_TABLE: Record<string, string> = {
  email: "email",
  meeting: "appointment",
  call: "phonecall",
  task: "task",
};
