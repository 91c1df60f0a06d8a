import type { TokenProvider } from "../../net/auth";
import { checkOrgUrl, type DataverseSettings, tokenProviderFor } from "./auth";
import type { BatchItemResult, BatchPart } from "./batch";
import { DataverseConfigError, InvalidValueError } from "./errors";
import { type BatchOptions, executeBatch } from "./executeBatch";
import { fetchEntityName } from "./fetchXml";
import { type HttpResponse, type RequestEvent, Transport, type TransportOptions } from "./http";
import { checkName, type Filter, type Query } from "./odata";
import { fetchXmlPages, getJson, odataPages, type Page, type PageOptions, type Row } from "./paging";
import { FORMATTED_VALUE, MAX_PAGE_SIZE, preferHeader } from "./prefer";
import {
  createOp,
  type CreateOptions,
  deleteOp,
  entityIdFrom,
  type Operation,
  retrieveOp,
  type RowKey,
  updateOp,
  upsertOp,
  type UpsertOptions,
  type WriteOptions,
} from "./requests";

export interface DataverseClientOptions {
  /** Org URL (`https://contoso.crm.dynamics.com`) or the local endpoint (`http://127.0.0.1:port`). */
  url: string;
  token: TokenProvider;
  /** Web API version segment (default `v9.2`). */
  apiVersion?: string;
  /** HTTP requests in flight at once for this instance (default 8; Dataverse allows 52 per user). */
  maxConcurrency?: number;
  /** Retries after the first attempt, for 429, 502/503 and connection failures (default 5). */
  maxRetries?: number;
  /** No retry is started once this much time has passed since the first attempt (default 5 min). */
  maxRetryTimeMs?: number;
  /** One attempt's time limit (default 5 min). */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  /** Called once per HTTP attempt: count requests, log ids and durations. */
  onRequest?: (event: RequestEvent) => void;
  /**
   * What the caller knows of its tables: the client knows none itself. Used for a FetchXML query's entity
   * set, a create's id column with `returnRepresentation`, and the one column `count` selects.
   */
  tables?: TableCatalog;
}

/** Entity set names and primary id columns of the caller's tables (the client discovers none). */
export interface TableCatalog {
  /** The entity set of a table by its logical name: `account` → `accounts`. */
  entitySetOf(logicalName: string): string | undefined;
  /** The primary id column of a table by its entity set: `accounts` → `accountid`. */
  primaryIdOf(entitySet: string): string | undefined;
}

export interface CreateResult<T extends Row = Row> {
  id: string;
  /** The created row, with `returnRepresentation`. */
  row?: T;
}

export interface CountResult {
  /** Matching rows, at most 5,000 (Dataverse's `$count` limit). */
  count: number;
  /** More than 5,000 rows match (`Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded`). */
  limitExceeded: boolean;
}

export const DEFAULTS = {
  apiVersion: "v9.2",
  maxConcurrency: 8,
  maxRetries: 5,
  maxRetryTimeMs: 5 * 60_000,
  requestTimeoutMs: 5 * 60_000,
} as const;

/** Dataverse's concurrency limit per user and web server (service protection). */
export const MAX_CONCURRENCY = 52;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function checkedApiVersion(value: string | undefined): string {
  const apiVersion = value ?? DEFAULTS.apiVersion;
  if (!/^v\d+\.\d+$/.test(apiVersion)) throw new DataverseConfigError("apiVersion", "expected e.g. v9.2");
  return apiVersion;
}

function checkedConcurrency(value: number | undefined): number {
  const maxConcurrency = value ?? DEFAULTS.maxConcurrency;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY)
    throw new DataverseConfigError("maxConcurrency", `expected an integer from 1 to ${MAX_CONCURRENCY}`);
  return maxConcurrency;
}

function checkedRetries(value: number | undefined): number {
  const maxRetries = value ?? DEFAULTS.maxRetries;
  if (!Number.isInteger(maxRetries) || maxRetries < 0)
    throw new DataverseConfigError("maxRetries", "expected a non-negative integer");
  return maxRetries;
}

/** The transport's settings from the client's options: checked in the order they are named, defaults filled in. */
function transportOptions(options: DataverseClientOptions): TransportOptions {
  const url = checkOrgUrl(options.url, "url");
  const apiVersion = checkedApiVersion(options.apiVersion);
  const maxConcurrency = checkedConcurrency(options.maxConcurrency);
  const maxRetries = checkedRetries(options.maxRetries);
  return {
    apiRoot: `${url}/api/data/${apiVersion}`,
    token: options.token,
    maxConcurrency,
    maxRetries,
    maxRetryTimeMs: options.maxRetryTimeMs ?? DEFAULTS.maxRetryTimeMs,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    fetch: options.fetch ?? globalThis.fetch,
    sleep: options.sleep ?? sleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    onRequest: options.onRequest,
  };
}

/**
 * The Dataverse Web API client: the same code against a real org and the local Dataverse-compatible
 * endpoint. Reads page through `@odata.nextLink`; writes return ids; batches split at 1,000 and retry
 * throttled items; every request is capped, throttled, retried and observed by one {@link Transport}.
 */
export class DataverseClient {
  private readonly transport: Transport;

  private readonly tables: TableCatalog | undefined;

  constructor(options: DataverseClientOptions) {
    this.transport = new Transport(transportOptions(options));
    this.tables = options.tables;
  }

  /** A client from parsed settings (see readDataverseSettings), with test or tuning overrides. */
  static fromSettings(
    settings: DataverseSettings,
    overrides: Omit<DataverseClientOptions, "url" | "token"> = {},
  ): DataverseClient {
    return new DataverseClient({
      url: settings.url,
      token: tokenProviderFor(settings),
      ...(settings.maxConcurrency ? { maxConcurrency: settings.maxConcurrency } : {}),
      ...overrides,
    });
  }

  /** `https://org/api/data/v9.2`. */
  get apiRoot(): string {
    return this.transport.apiRoot;
  }

  /** Pages of a query; see {@link retrieveMultiple} for rows. `$top` turns paging off (Dataverse ignores it with a page size). */
  pages(entitySet: string, query: Query = {}, options: PageOptions = {}): AsyncIterable<Page> {
    const first = retrieveOp(entitySet, undefined, query).url;
    const pageSize = query.top === undefined ? (options.maxPageSize ?? MAX_PAGE_SIZE) : undefined;
    return odataPages(this.transport, first, preferHeader(pageSize, annotations(options)));
  }

  /** Every row matching the query, across pages, as they arrive. */
  async *retrieveMultiple<T extends Row = Row>(
    entitySet: string,
    query: Query = {},
    options: PageOptions = {},
  ): AsyncIterable<T> {
    for await (const page of this.pages(entitySet, query, options)) yield* page.rows as T[];
  }

  /** Every row matching the query, collected. Mind the memory: prefer retrieveMultiple for big sets. */
  async retrieveAll<T extends Row = Row>(
    entitySet: string,
    query: Query = {},
    options: PageOptions = {},
  ): Promise<T[]> {
    const rows: T[] = [];
    for await (const row of this.retrieveMultiple<T>(entitySet, query, options)) rows.push(row);
    return rows;
  }

  /** One row by id or alternate key; NotFoundError when it does not exist. */
  async retrieve<T extends Row = Row>(
    entitySet: string,
    key: RowKey,
    query: Pick<Query, "select" | "expand"> = {},
    options: Pick<PageOptions, "formattedValues" | "annotations"> = {},
  ): Promise<T> {
    const op = retrieveOp(entitySet, key, query);
    return (await getJson(this.transport, op.url, preferHeader(undefined, annotations(options)))) as T;
  }

  /**
   * Rows of a FetchXML query, paged with page/count/paging-cookie. The entity set comes from the
   * client's `tables` by the `<entity name>`; pass `entitySet` for a table they do not hold.
   */
  async *fetchXml<T extends Row = Row>(
    fetchXml: string,
    options: PageOptions & { entitySet?: string } = {},
  ): AsyncIterable<T> {
    const logical = fetchEntityName(fetchXml);
    const entitySet = options.entitySet ?? (logical ? this.tables?.entitySetOf(logical) : undefined);
    if (!entitySet)
      throw new InvalidValueError(
        "fetchXml entitySet",
        "the <entity> is not in the client's tables; pass options.entitySet",
      );
    for await (const page of fetchXmlPages(this.transport, entitySet, fetchXml, options))
      yield* page.rows as T[];
  }

  /** Matching rows, counted by Dataverse up to 5,000 (`$count`), with whether the limit was exceeded. */
  async count(entitySet: string, filter?: Filter): Promise<CountResult> {
    const id = this.tables?.primaryIdOf(checkName(entitySet, "entity set"));
    const op = retrieveOp(entitySet, undefined, {
      ...(id ? { select: [id] } : {}),
      ...(filter ? { filter } : {}),
      count: true,
    });
    const prefer = preferHeader(1, [
      "Microsoft.Dynamics.CRM.totalrecordcount",
      "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded",
    ]);
    const body = await getJson(this.transport, op.url, prefer);
    const count = body["@odata.count"];
    return {
      count: typeof count === "number" ? count : 0,
      limitExceeded: body["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] === true,
    };
  }

  /**
   * Creates a row; returns its id from `OData-EntityId`. With `returnRepresentation` the row comes
   * back too and the id is read from its primary id column (from the client's `tables`, or `idColumn`). Not
   * retried after an ambiguous failure unless `idempotent` (the body sets the id, say).
   */
  async create<T extends Row = Row>(
    entitySet: string,
    body: object,
    options: CreateOptions & { idColumn?: string } = {},
  ): Promise<CreateResult<T>> {
    const res = await this.execute(createOp(entitySet, body, options));
    const fromHeader = entityIdFrom(res.headers.get("odata-entityid"));
    if (!options.returnRepresentation) {
      if (!fromHeader) throw new InvalidValueError("create response", "no OData-EntityId header");
      return { id: fromHeader };
    }
    const row = JSON.parse(res.text) as T;
    const idColumn = options.idColumn ?? this.tables?.primaryIdOf(entitySet);
    const fromRow = idColumn ? row[idColumn] : undefined;
    const id = fromHeader ?? (typeof fromRow === "string" ? fromRow.toLowerCase() : undefined);
    if (!id)
      throw new InvalidValueError(
        "create response",
        "no id: pass idColumn for a table outside the client's tables",
      );
    return { id, row };
  }

  /** Updates a row by id or key (`If-Match: *`: never creates; NotFoundError if missing). */
  async update(entitySet: string, key: RowKey, body: object, options: WriteOptions = {}): Promise<void> {
    await this.execute(updateOp(entitySet, key, body, options));
  }

  /**
   * Upsert by id or alternate key, `mode` upsert | createOnly (DuplicateRecordError) | updateOnly
   * (NotFoundError). Returns the row id when Dataverse sends `OData-EntityId`.
   */
  async upsert(
    entitySet: string,
    key: RowKey,
    body: object,
    options: UpsertOptions = {},
  ): Promise<{ id?: string }> {
    const res = await this.execute(upsertOp(entitySet, key, body, options));
    const id = entityIdFrom(res.headers.get("odata-entityid"));
    return id ? { id } : {};
  }

  /** Deletes a row by id or key; NotFoundError when it does not exist. */
  async delete(entitySet: string, key: RowKey, options: WriteOptions = {}): Promise<void> {
    await this.execute(deleteOp(entitySet, key, options));
  }

  /** Runs operations (from createOp, upsertOp, ...) as `$batch` requests; one result per operation. */
  executeBatch(parts: readonly BatchPart[], options: BatchOptions = {}): Promise<BatchItemResult[]> {
    return executeBatch(this.transport, parts, options);
  }

  /** Sends one operation as is: the escape hatch for actions and functions (see actionOp). */
  execute(op: Operation): Promise<HttpResponse> {
    return this.transport.send({
      method: op.method,
      url: op.url,
      headers: op.headers,
      idempotent: op.idempotent,
      ...(op.body === undefined ? {} : { body: JSON.stringify(op.body) }),
      ...(op.precondition ? { precondition: op.precondition } : {}),
    });
  }
}

const annotations = (options: Pick<PageOptions, "formattedValues" | "annotations">): string[] => [
  ...(options.formattedValues ? [FORMATTED_VALUE] : []),
  ...(options.annotations ?? []),
];
