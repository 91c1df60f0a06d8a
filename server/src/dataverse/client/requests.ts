import { InvalidValueError, type PreconditionKind } from "./errors";
import type { HttpMethod } from "./http";
import { type AlternateKey, checkName, type Guid, keySegment, type Query, queryOptions } from "./odata";
import { FORMATTED_VALUE, preferHeader } from "./prefer";

/**
 * One Web API operation described as data, so that the same description is sent alone or as an item
 * of a `$batch`. Built only by the functions below, which validate names and escape keys.
 */
export interface Operation {
  method: HttpMethod;
  /** Relative to the API root, e.g. `accounts(00000000-...)?$select=name`, or `$1` in a change set. */
  url: string;
  headers: Readonly<Record<string, string>>;
  /** JSON body (serialised when sent). */
  body?: unknown;
  /** Safe to send again after an ambiguous failure. */
  idempotent: boolean;
  precondition?: PreconditionKind;
}

/** A row id (GUID string or guid()) or an alternate key `{ column: value, ... }`. */
export type RowKey = string | Guid | AlternateKey;

/** How an upsert by key may act: both ways, only create (`If-None-Match: *`), only update (`If-Match: *`). */
export type UpsertMode = "upsert" | "createOnly" | "updateOnly";

export interface CreateOptions {
  /** `Prefer: return=representation`: the created row comes back (201), with these columns. */
  returnRepresentation?: boolean | { select?: readonly string[] };
  /** The caller knows a second POST cannot duplicate (e.g. the body sets the row id). */
  idempotent?: boolean;
  headers?: Readonly<Record<string, string>>;
}

export interface WriteOptions {
  /** `If-Match: W/"etag"` (the row's `@odata.etag`): 412 ConcurrencyMismatch when it changed. */
  ifMatch?: string;
  headers?: Readonly<Record<string, string>>;
}

export interface UpsertOptions extends WriteOptions {
  mode?: UpsertMode;
}

const path = (entitySet: string, key?: RowKey): string =>
  checkName(entitySet, "entity set") + (key === undefined ? "" : keySegment(key));

const withQuery = (url: string, query: Query | undefined): string => {
  const q = queryOptions(query);
  return q ? `${url}?${q}` : url;
};

export interface RetrieveOptions {
  /** A navigation property of the keyed row: `accounts(id)/Account_Tasks`. */
  navigation?: string;
  /** `Prefer: odata.maxpagesize` for this GET (a batch item: its first page only). */
  maxPageSize?: number;
  /** Ask for formatted values (`OData.Community.Display.V1.FormattedValue` annotations). */
  formattedValues?: boolean;
}

/** GET a collection (no key), one row, or a row's related rows (`navigation`). */
export function retrieveOp(
  entitySet: string,
  key?: RowKey,
  query?: Query,
  options: RetrieveOptions = {},
): Operation {
  let url = path(entitySet, key);
  if (options.navigation !== undefined) {
    if (key === undefined) throw new InvalidValueError("navigation", "needs the key of a row");
    url += `/${checkName(options.navigation, "navigation property")}`;
  }
  const prefer = preferHeader(options.maxPageSize, options.formattedValues ? [FORMATTED_VALUE] : []);
  return {
    method: "GET",
    url: withQuery(url, query),
    headers: prefer ? { Prefer: prefer } : {},
    idempotent: true,
  };
}

/** POST: 204 + OData-EntityId, or 201 with the row when `returnRepresentation`. */
export function createOp(entitySet: string, body: object, options: CreateOptions = {}): Operation {
  const rep = options.returnRepresentation;
  const select = typeof rep === "object" ? rep.select : undefined;
  return {
    method: "POST",
    url: withQuery(path(entitySet), select ? { select } : undefined),
    headers: { ...(rep ? { Prefer: "return=representation" } : {}), ...options.headers },
    body,
    idempotent: options.idempotent ?? false,
  };
}

/** PATCH by id or key with `If-Match: *`, so a missing row is a 404, never a silent create. */
export function updateOp(
  entitySet: string,
  key: RowKey,
  body: object,
  options: WriteOptions = {},
): Operation {
  return {
    method: "PATCH",
    url: path(entitySet, key),
    headers: { "If-Match": options.ifMatch ? etag(options.ifMatch) : "*", ...options.headers },
    body,
    idempotent: true,
    ...(options.ifMatch ? { precondition: "ConcurrencyMismatch" as const } : {}),
  };
}

/**
 * PATCH to a key: creates or updates (`upsert`), only creates (`createOnly`: 412 DuplicateRecord when
 * the key exists) or only updates (`updateOnly`: 404 NotFound when it does not).
 */
export function upsertOp(
  entitySet: string,
  key: RowKey,
  body: object,
  options: UpsertOptions = {},
): Operation {
  const mode = options.mode ?? "upsert";
  const headers: Record<string, string> = {};
  let precondition: PreconditionKind | undefined;
  if (mode === "createOnly") {
    if (options.ifMatch) throw new InvalidValueError("upsert options", "createOnly cannot take ifMatch");
    headers["If-None-Match"] = "*";
    precondition = "DuplicateRecord";
  } else if (options.ifMatch) {
    headers["If-Match"] = etag(options.ifMatch);
    precondition = "ConcurrencyMismatch";
  } else if (mode === "updateOnly") {
    headers["If-Match"] = "*";
  }
  return {
    method: "PATCH",
    url: path(entitySet, key),
    headers: { ...headers, ...options.headers },
    body,
    idempotent: true,
    ...(precondition ? { precondition } : {}),
  };
}

export function deleteOp(entitySet: string, key: RowKey, options: WriteOptions = {}): Operation {
  return {
    method: "DELETE",
    url: path(entitySet, key),
    headers: { ...(options.ifMatch ? { "If-Match": etag(options.ifMatch) } : {}), ...options.headers },
    idempotent: true,
    ...(options.ifMatch ? { precondition: "ConcurrencyMismatch" as const } : {}),
  };
}

/** An etag as sent back in `If-Match`: `W/"123"` as read from `@odata.etag`, or bare digits. */
function etag(value: string): string {
  if (/^\d+$/.test(value)) return `W/"${value}"`;
  if (/^(W\/)?"[^"\r\n]*"$/.test(value)) return value;
  throw new InvalidValueError(
    "etag",
    `expected W/"..." as read from @odata.etag (${value.length} characters)`,
  );
}

/** The row id at the end of an `OData-EntityId` (or `Location`) URL, lower-cased. */
export function entityIdFrom(url: string | null | undefined): string | undefined {
  const m = url
    ? /\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\)\s*$/.exec(url)
    : null;
  return m?.[1]?.toLowerCase();
}

/**
 * POST to a bound action, e.g. `actionOp("accounts", "UpsertMultiple", { Targets })`.
 * `idempotent` when running it twice does no harm (UpsertMultiple does not; CreateMultiple would).
 */
export function actionOp(
  entitySet: string,
  action: string,
  body: object,
  options: { idempotent: boolean; headers?: Readonly<Record<string, string>> },
): Operation {
  return post(`${path(entitySet)}/Microsoft.Dynamics.CRM.${checkName(action, "action")}`, body, options);
}

/**
 * POST to an unbound action at the API root, e.g. `unboundActionOp("WinOpportunity", { Status: 3,
 * OpportunityClose })`. `idempotent` when running it twice does no harm (closing an opportunity twice fails).
 */
export function unboundActionOp(
  action: string,
  body: object,
  options: { idempotent: boolean; headers?: Readonly<Record<string, string>> },
): Operation {
  return post(checkName(action, "action"), body, options);
}

type ActionOptions = { idempotent: boolean; headers?: Readonly<Record<string, string>> };

const post = (url: string, body: object, options: ActionOptions): Operation => ({
  method: "POST",
  url,
  headers: { ...options.headers },
  body,
  idempotent: options.idempotent,
});

/**
 * Associates two records through a many-to-many (or one-to-many) relationship: POST to the
 * collection-valued navigation property's `$ref` with the other record's absolute URL as `@odata.id`
 * (Microsoft's "Associate and disassociate table rows using the Web API").
 */
export function associateOp(
  entitySet: string,
  key: RowKey,
  navigation: string,
  target: { apiRoot: string; entitySet: string; key: RowKey },
): Operation {
  return {
    method: "POST",
    url: `${path(entitySet, key)}/${checkName(navigation, "navigation property")}/$ref`,
    headers: {},
    body: { "@odata.id": `${target.apiRoot.replace(/\/?$/, "/")}${path(target.entitySet, target.key)}` },
    // A second association of the same pair fails as a duplicate, never doubles it.
    idempotent: true,
  };
}
