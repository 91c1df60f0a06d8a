/**
 * The Web API as the host page reaches it: same origin, under /api/data/v9.2/, the browser's session
 * cookie signing it in (as in an org). context.webAPI for the controls is built on it, rejecting the way
 * the platform does: an Error with `errorCode` (a signed number), `code` (hex) and the HTTP `status`.
 */

export const API = "/api/data/v9.2/";
const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

export type Row = Record<string, unknown>;

export interface WebApiError extends Error {
  errorCode: number;
  code: string;
  status: number;
}

const HEADERS = {
  Accept: "application/json",
  "OData-MaxVersion": "4.0",
  "OData-Version": "4.0",
  Prefer: 'odata.include-annotations="*", odata.maxpagesize=5000',
};

async function call(
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<{ json: Row; res: Response }> {
  const res = await fetch(path.startsWith("/") ? path : API + path, {
    method,
    credentials: "same-origin",
    headers: { ...HEADERS, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...extra },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Row = {};
  try {
    json = text ? (JSON.parse(text) as Row) : {};
  } catch {
    json = {};
  }
  if (!res.ok) {
    const e = (json["error"] ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof e.code === "string" ? e.code : "0x80040216";
    const err = new Error(typeof e.message === "string" ? e.message : `${res.status} ${res.statusText}`);
    Object.assign(err, { errorCode: parseInt(code, 16) | 0, code, status: res.status });
    throw err as WebApiError;
  }
  return { json, res };
}

export async function getJson(path: string): Promise<Row> {
  return (await call("GET", path)).json;
}

/** Every row of a query, following @odata.nextLink on this origin. */
export async function getAll(path: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let next: string | undefined = path; next;) {
    const page = await getJson(next);
    rows.push(...((page["value"] as Row[] | undefined) ?? []));
    const link = page["@odata.nextLink"];
    next =
      typeof link === "string"
        ? new URL(link, location.origin).pathname + new URL(link, location.origin).search
        : undefined;
  }
  return rows;
}

export const formatted = (row: Row, property: string): string | undefined => {
  const f = row[`${property}${FORMATTED}`];
  return typeof f === "string" ? f : undefined;
};

/** A GUID, checked before it goes into a URL. */
export function checkedId(id: string): string {
  const bare = id.replace(/[{}]/g, "");
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bare))
    throw new Error(`not a record id: ${id}`);
  return bare.toLowerCase();
}

/** context.webAPI over HTTP, for the entity sets the manifest names. */
export function webApi(entitySets: Record<string, string>): ComponentFramework.WebApi {
  const set = (entity: string) => {
    const s = entitySets[entity];
    if (!s) throw new Error(`The preview does not serve the table ${entity}.`);
    return s;
  };
  const ref = (entity: string, id: string): ComponentFramework.LookupValue => ({
    id,
    entityType: entity,
    name: "",
  });
  return {
    async retrieveRecord(entity, id, options) {
      return (await call("GET", `${set(entity)}(${checkedId(id)})${options ?? ""}`)).json;
    },
    async retrieveMultipleRecords(entity, options, maxPageSize) {
      const prefer: Record<string, string> = maxPageSize
        ? { Prefer: `odata.include-annotations="*", odata.maxpagesize=${maxPageSize}` }
        : {};
      const { json } = await call("GET", `${set(entity)}${options ?? ""}`, undefined, prefer);
      const next = json["@odata.nextLink"];
      return {
        entities: (json["value"] as ComponentFramework.WebApi.Entity[] | undefined) ?? [],
        ...(typeof next === "string" ? { nextLink: next } : {}),
      } as ComponentFramework.WebApi.RetrieveMultipleResponse;
    },
    async createRecord(entity, data) {
      const { res } = await call("POST", set(entity), data);
      const id = /\(([0-9a-f-]{36})\)/i.exec(res.headers.get("OData-EntityId") ?? "")?.[1] ?? "";
      return ref(entity, id);
    },
    async updateRecord(entity, id, data) {
      await call("PATCH", `${set(entity)}(${checkedId(id)})`, data);
      return ref(entity, id);
    },
    async deleteRecord(entity, id) {
      await call("DELETE", `${set(entity)}(${checkedId(id)})`);
      return ref(entity, id);
    },
  };
}

/** POST /rapport/recompute: what "Recompute now" on the settings page calls. */
export async function recompute(): Promise<Row> {
  return (await call("POST", "/rapport/recompute", {})).json;
}
