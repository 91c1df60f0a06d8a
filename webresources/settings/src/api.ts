import {
  ConnectionColumns as K,
  ConnectionTable,
  IntroducerProfileColumns as P,
  IntroducerProfileTable,
  IntroductionColumns as I,
  IntroductionTable,
  lookupValueName,
  SettingsColumns as S,
  SettingsTable,
} from "@rapport/model";

import { API_BASE, RECOMPUTE_URL, SETTINGS_KEY } from "./constants";
import { isAddress } from "./form";

/** A failed Web API call: Dataverse's error code and message, the HTTP status. */
export class DataverseError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "DataverseError";
  }
}

export type Row = Record<string, unknown>;

export interface Colleague {
  id: string;
  name: string;
  email: string;
}

/** An OData string literal: quoted, a single quote doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A query string with every value percent-encoded. */
export function query(options: Record<string, string | number>): string {
  return Object.entries(options)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join("&");
}

export const SETTINGS_COLUMNS = [
  S.settingsId,
  S.analyticsEnabled,
  S.whoKnowsWhomEnabled,
  S.m365Enabled,
  S.emailWeight,
  S.meetingWeight,
  S.phonecallWeight,
  S.taskWeight,
  S.cadenceContact,
  S.cadenceLead,
  S.cadenceOpportunity,
  S.cadenceAccount,
  S.goodThreshold,
  S.fairThreshold,
  S.orgDomains,
  S.excludedDomains,
  S.excludedAddresses,
  S.optedOutUsers,
  S.whoKnowsWhomRoles,
  S.introductionTemplate,
  S.introductionCap,
  S.introductionCooldownDays,
];

export interface SettingsApi {
  /** The settings row, or undefined when none was saved yet. */
  load(): Promise<Row | undefined>;
  /** Upsert by alternate key: creates the row when there is none. */
  save(row: Row): Promise<void>;
  searchColleagues(text: string): Promise<Colleague[]>;
  /** What `rapport forget` does: exclude the address, delete its rp_connection rows and its introductions. */
  forget(address: string): Promise<Forgotten>;
  recompute(): Promise<void>;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const settingsPath = `${SettingsTable.entitySetName}(${S.key}=${encodeURIComponent(odataString(SETTINGS_KEY))})`;

/** One Web API call: a path relative to the API base (or absolute on the origin), the response when it is ok. */
type Call = (path: string, init?: RequestInit) => Promise<Response>;

const HEADERS = {
  Accept: "application/json",
  "OData-MaxVersion": "4.0",
  "OData-Version": "4.0",
};

/** Calls over the injected fetch with the OData headers, the session's cookies, and errors thrown as DataverseError. */
function caller(fetchFn: Fetch, base: string): Call {
  return async (path, init = {}) => {
    const body: Record<string, string> =
      init.body !== undefined ? { "Content-Type": "application/json; charset=utf-8" } : {};
    const res = await fetchFn(path.startsWith("/") ? path : base + path, {
      credentials: "same-origin",
      ...init,
      headers: { ...HEADERS, ...body, ...(init.headers as Record<string, string> | undefined) },
    });
    if (!res.ok) throw await errorOf(res);
    return res;
  };
}

/** Every row of a query, following the next links on this origin (whatever host the server names in them). */
async function readAll(call: Call, path: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let next: string | undefined = path; next;) {
    const page = (await (await call(next)).json()) as { value: Row[]; "@odata.nextLink"?: string };
    rows.push(...page.value);
    const link = page["@odata.nextLink"];
    const url = link ? new URL(link, "http://localhost") : undefined;
    next = url ? url.pathname + url.search : undefined;
  }
  return rows;
}

async function loadSettings(call: Call): Promise<Row | undefined> {
  const filter = `${S.key} eq ${odataString(SETTINGS_KEY)}`;
  const q = query({ $select: SETTINGS_COLUMNS.join(","), $filter: filter, $top: 1 });
  const res = await call(`${SettingsTable.entitySetName}?${q}`);
  return ((await res.json()) as { value: Row[] }).value[0];
}

async function saveSettings(call: Call, row: Row): Promise<void> {
  await call(settingsPath, { method: "PATCH", body: JSON.stringify(row) });
}

/** Up to ten users whose name or address contains the text, those with an address only. */
async function searchColleagues(call: Call, text: string): Promise<Colleague[]> {
  const t = text.trim();
  if (!t) return [];
  const filter = `contains(fullname,${odataString(t)}) or contains(internalemailaddress,${odataString(t)})`;
  const q = query({
    $select: "systemuserid,fullname,internalemailaddress",
    $filter: filter,
    $orderby: "fullname",
    $top: 10,
  });
  const res = await call(`systemusers?${q}`);
  return ((await res.json()) as { value: Row[] }).value
    .filter((u) => typeof u["internalemailaddress"] === "string" && u["internalemailaddress"])
    .map((u) => ({
      id: String(u["systemuserid"]),
      name: typeof u["fullname"] === "string" ? u["fullname"] : String(u["internalemailaddress"]),
      email: String(u["internalemailaddress"]).toLowerCase(),
    }));
}

/** Adds the address to the row's excluded addresses (creating the row if needed); true when it was not there. */
async function excludeAddress(call: Call, a: string): Promise<boolean> {
  const current = await loadSettings(call);
  const stored = current?.[S.excludedAddresses];
  const excluded = (typeof stored === "string" ? stored : "")
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const newlyExcluded = !excluded.some((e) => e.toLowerCase() === a);
  if (newlyExcluded)
    await saveSettings(call, {
      ...(current ? {} : { [S.name]: "Default" }),
      [S.excludedAddresses]: [...excluded, a].join("\n"),
    });
  return newlyExcluded;
}

/** Deletes rows of an entity set by id, four at a time; one already gone counts as deleted. */
async function deleteRows(call: Call, entitySet: string, ids: string[]): Promise<number> {
  let deleted = 0;
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        await call(`${entitySet}(${encodeURIComponent(id)})`, { method: "DELETE" });
      } catch (err) {
        // Already gone (deleted meanwhile): forgotten all the same.
        if (!(err instanceof DataverseError && err.status === 404)) throw err;
      }
      deleted++;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return deleted;
}

export interface Forgotten {
  newlyExcluded: boolean;
  connectionsDeleted: number;
  /** Introductions to the person, or (a colleague) asked by, of or through them, and their introducer profile. */
  introductionsDeleted: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The introductions a forgotten address takes with it, as `rapport forget` deletes them: those whose person
 * it is and, when it is a colleague's (a user's), those they asked, were asked or connected, with their
 * introducer profile. Returns how many introductions were deleted.
 */
async function forgetIntroductions(call: Call, lit: string): Promise<number> {
  const users = await readAll(
    call,
    `systemusers?${query({ $select: "systemuserid", $filter: `internalemailaddress eq ${lit}` })}`,
  );
  // Ids come from the server; only well-formed ones go into a filter, unquoted as OData writes GUIDs.
  const ids = users.map((u) => String(u["systemuserid"])).filter((id) => GUID.test(id));
  const byUser = ids.flatMap((id) =>
    [I.requesterId, I.introducerId, I.connectorId].map((c) => `${lookupValueName(c)} eq ${id}`),
  );
  const filter = [`${I.targetEmail} eq ${lit}`, ...byUser].join(" or ");
  const rows = await readAll(
    call,
    `${IntroductionTable.entitySetName}?${query({ $select: I.introductionId, $filter: filter })}`,
  );
  const deleted = await deleteRows(
    call,
    IntroductionTable.entitySetName,
    rows.map((r) => String(r[I.introductionId])),
  );
  if (ids.length) {
    const own = ids.map((id) => `${lookupValueName(P.userId)} eq ${id}`).join(" or ");
    const profiles = await readAll(
      call,
      `${IntroducerProfileTable.entitySetName}?${query({ $select: P.introducerProfileId, $filter: own })}`,
    );
    const profileIds = profiles.map((r) => String(r[P.introducerProfileId]));
    await deleteRows(call, IntroducerProfileTable.entitySetName, profileIds);
  }
  return deleted;
}

/** What `rapport forget` does: exclude the address, delete the rp_connection rows and introductions naming it. */
async function forgetAddress(call: Call, address: string): Promise<Forgotten> {
  const a = address.trim().toLowerCase();
  if (!isAddress(a)) throw new DataverseError("not an e-mail address", 400);
  const newlyExcluded = await excludeAddress(call, a);
  const lit = odataString(a);
  const rows = await readAll(
    call,
    `${ConnectionTable.entitySetName}?${query({ $select: K.connectionId, $filter: `${K.target} eq ${lit} or ${K.introducerEmail} eq ${lit}` })}`,
  );
  const connectionsDeleted = await deleteRows(
    call,
    ConnectionTable.entitySetName,
    rows.map((r) => String(r[K.connectionId])),
  );
  const introductionsDeleted = await forgetIntroductions(call, lit);
  return { newlyExcluded, connectionsDeleted, introductionsDeleted };
}

async function postRecompute(fetchFn: Fetch, recomputeUrl: string): Promise<void> {
  const res = await fetchFn(recomputeUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: "{}",
  });
  if (!res.ok) throw await errorOf(res);
}

/** The page's Web API calls, over an injected fetch (same origin: the user's session authenticates). */
export function settingsApi(fetchFn: Fetch, base = API_BASE, recomputeUrl = RECOMPUTE_URL): SettingsApi {
  const call = caller(fetchFn, base);
  return {
    load: () => loadSettings(call),
    save: (row) => saveSettings(call, row),
    searchColleagues: (text) => searchColleagues(call, text),
    forget: (address) => forgetAddress(call, address),
    recompute: () => postRecompute(fetchFn, recomputeUrl),
  };
}

/** Dataverse's `{ error: { code, message } }`, else the status line; never a stack. */
async function errorOf(res: Response): Promise<DataverseError> {
  let message = res.statusText || `HTTP ${res.status}`;
  let code: string | undefined;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.message === "string") message = body.error.message;
    if (typeof body.error?.code === "string") code = body.error.code;
  } catch {
    // Not JSON (a proxy's HTML page): the status line says enough.
    code = undefined;
  }
  return new DataverseError(message, res.status, code);
}
