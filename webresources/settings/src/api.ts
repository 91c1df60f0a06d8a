import { ConnectionColumns as K, ConnectionTable, SettingsColumns as S, SettingsTable } from "@rapport/model";

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
];

export interface SettingsApi {
  /** The settings row, or undefined when none was saved yet. */
  load(): Promise<Row | undefined>;
  /** Upsert by alternate key: creates the row when there is none. */
  save(row: Row): Promise<void>;
  searchColleagues(text: string): Promise<Colleague[]>;
  /** What `rapport forget` does: exclude the address, delete its rp_connection rows. */
  forget(address: string): Promise<{ newlyExcluded: boolean; connectionsDeleted: number }>;
  recompute(): Promise<void>;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const settingsPath = `${SettingsTable.entitySetName}(${S.key}=${encodeURIComponent(odataString(SETTINGS_KEY))})`;

/** The page's Web API calls, over an injected fetch (same origin: the user's session authenticates). */
// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function settingsApi(fetchFn: Fetch, base = API_BASE, recomputeUrl = RECOMPUTE_URL): SettingsApi {
  const headers = {
    Accept: "application/json",
    "OData-MaxVersion": "4.0",
    "OData-Version": "4.0",
  };
  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const body: Record<string, string> =
      init.body !== undefined ? { "Content-Type": "application/json; charset=utf-8" } : {};
    const res = await fetchFn(path.startsWith("/") ? path : base + path, {
      credentials: "same-origin",
      ...init,
      headers: { ...headers, ...body, ...(init.headers as Record<string, string> | undefined) },
    });
    if (!res.ok) throw await errorOf(res);
    return res;
  }
  async function all(path: string): Promise<Row[]> {
    const rows: Row[] = [];
    for (let next: string | undefined = path; next;) {
      const page = (await (await call(next)).json()) as { value: Row[]; "@odata.nextLink"?: string };
      rows.push(...page.value);
      const link = page["@odata.nextLink"];
      // Follow the next link on this origin, whatever host the server names in it.
      const url = link ? new URL(link, "http://localhost") : undefined;
      next = url ? url.pathname + url.search : undefined;
    }
    return rows;
  }
  const settingsFilter = `${S.key} eq ${odataString(SETTINGS_KEY)}`;
  async function load(): Promise<Row | undefined> {
    const q = query({ $select: SETTINGS_COLUMNS.join(","), $filter: settingsFilter, $top: 1 });
    const res = await call(`${SettingsTable.entitySetName}?${q}`);
    return ((await res.json()) as { value: Row[] }).value[0];
  }
  async function save(row: Row): Promise<void> {
    await call(settingsPath, { method: "PATCH", body: JSON.stringify(row) });
  }
  return {
    load,
    save,
    async searchColleagues(text) {
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
    },
    async forget(address) {
      const a = address.trim().toLowerCase();
      if (!isAddress(a)) throw new DataverseError("not an e-mail address", 400);
      const current = await load();
      const stored = current?.[S.excludedAddresses];
      const raw = typeof stored === "string" ? stored : "";
      const excluded = raw
        .split(/[\n,;]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const newlyExcluded = !excluded.some((e) => e.toLowerCase() === a);
      if (newlyExcluded)
        await save({
          ...(current ? {} : { [S.name]: "Default" }),
          [S.excludedAddresses]: [...excluded, a].join("\n"),
        });
      const lit = odataString(a);
      const rows = await all(
        `${ConnectionTable.entitySetName}?${query({ $select: K.connectionId, $filter: `${K.target} eq ${lit} or ${K.introducerEmail} eq ${lit}` })}`,
      );
      let deleted = 0;
      const queue = rows.map((r) => String(r[K.connectionId]));
      const worker = async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          try {
            await call(`${ConnectionTable.entitySetName}(${encodeURIComponent(id)})`, { method: "DELETE" });
          } catch (err) {
            // Already gone (deleted meanwhile): forgotten all the same.
            if (!(err instanceof DataverseError && err.status === 404)) throw err;
          }
          deleted++;
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      return { newlyExcluded, connectionsDeleted: deleted };
    },
    async recompute() {
      const res = await fetchFn(recomputeUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: "{}",
      });
      if (!res.ok) throw await errorOf(res);
    },
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
