/**
 * Errors of the Dataverse Web API client. Callers tell them apart by class (or `kind`), never by message
 * text. Messages carry the method, the path without its query and with key values masked, the status,
 * the Dataverse error code and the request id: never query values, key values or record data, which may
 * be personal. The server's own message is kept apart in `serverMessage` because Dataverse sometimes
 * quotes record values in it; log it only where record data may be logged.
 */

export type DataverseErrorKind =
  | "NotFound"
  | "DuplicateRecord"
  | "ConcurrencyMismatch"
  | "Throttled"
  | "Unauthorized"
  | "Forbidden"
  | "BadRequest"
  | "ServerError"
  | "Network"
  | "NotExecuted"
  | "Other";

export interface DataverseErrorInit {
  status: number;
  code?: string;
  serverMessage?: string;
  requestId?: string;
  method: string;
  path: string;
  /** 429 only: the wait the service asked for, in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A failed Web API request (or batch item): status 0 when no HTTP response was received. */
export class DataverseError extends Error {
  override readonly name: string = "DataverseError";
  readonly kind: DataverseErrorKind = "Other";
  readonly status: number;
  /** The Web API error code, e.g. `0x80040237`; often empty on Dataverse. */
  readonly code: string;
  /** The server's message. May quote record values: keep it out of logs that must stay free of them. */
  readonly serverMessage: string;
  /** `REQ_ID` or `x-ms-service-request-id`: what Microsoft support asks for. */
  readonly requestId: string | undefined;
  readonly method: string;
  /** The request path without query string, key values masked. */
  readonly path: string;
  /** 429 only: the last Retry-After the service asked for, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(init: DataverseErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code ?? "";
    this.serverMessage = init.serverMessage ?? "";
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
  }
}

function describe(init: DataverseErrorInit): string {
  const status = init.status === 0 ? "no response" : `HTTP ${init.status}`;
  const code = init.code ? ` ${init.code}` : "";
  const req = init.requestId ? ` (request ${init.requestId})` : "";
  return `Dataverse ${init.method} ${init.path} failed: ${status}${code}${req}`;
}

/** 404: the row (or, for an update-only upsert, the key) does not exist. */
export class NotFoundError extends DataverseError {
  override readonly name = "NotFoundError";
  override readonly kind = "NotFound";
}

/** 412 on a create-only upsert (`If-None-Match: *`): a row with these key values already exists. */
export class DuplicateRecordError extends DataverseError {
  override readonly name = "DuplicateRecordError";
  override readonly kind = "DuplicateRecord";
}

/** 412 with `If-Match: W/"etag"`: the row changed since it was read. */
export class ConcurrencyMismatchError extends DataverseError {
  override readonly name = "ConcurrencyMismatchError";
  override readonly kind = "ConcurrencyMismatch";
}

/** 429 that outlasted the retries (or a throttled batch item that did). */
export class ThrottledError extends DataverseError {
  override readonly name = "ThrottledError";
  override readonly kind = "Throttled";
}

/** 401: the token was missing, expired or for another resource. */
export class UnauthorizedError extends DataverseError {
  override readonly name = "UnauthorizedError";
  override readonly kind = "Unauthorized";
}

/** 403: the application user lacks a privilege. */
export class ForbiddenError extends DataverseError {
  override readonly name = "ForbiddenError";
  override readonly kind = "Forbidden";
}

export class BadRequestError extends DataverseError {
  override readonly name = "BadRequestError";
  override readonly kind = "BadRequest";
}

/** 5xx that outlasted the retries. */
export class ServerError extends DataverseError {
  override readonly name = "ServerError";
  override readonly kind = "ServerError";
}

/** No response: connection reset, socket hang up, timeout; `cause` holds the transport's error. */
export class NetworkError extends DataverseError {
  override readonly name = "NetworkError";
  override readonly kind = "Network";
}

/** A batch item Dataverse never ran: an earlier item failed and continue-on-error was off. */
export class NotExecutedError extends DataverseError {
  override readonly name = "NotExecutedError";
  override readonly kind = "NotExecuted";
}

/** How a request wants a 412 read: it depends on which precondition it sent. */
export type PreconditionKind = "DuplicateRecord" | "ConcurrencyMismatch";

/** The typed error for an HTTP status, given what the request asked for. */
export function errorForStatus(
  init: DataverseErrorInit,
  precondition: PreconditionKind | undefined,
): DataverseError {
  switch (init.status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new UnauthorizedError(init);
    case 403:
      return new ForbiddenError(init);
    case 404:
      return new NotFoundError(init);
    case 412:
      return precondition === "DuplicateRecord"
        ? new DuplicateRecordError(init)
        : new ConcurrencyMismatchError(init);
    case 429:
      return new ThrottledError(init);
    default:
      return init.status >= 500 ? new ServerError(init) : new DataverseError(init);
  }
}

/** Reads `{"error":{"code","message"}}`; anything else yields empty strings, never a throw. */
export function parseErrorBody(body: unknown): { code: string; message: string } {
  if (typeof body === "string") {
    try {
      return parseErrorBody(JSON.parse(body) as unknown);
    } catch {
      return { code: "", message: body.slice(0, 500) };
    }
  }
  if (body && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (error && typeof error === "object") {
      const { code, message } = error as { code?: unknown; message?: unknown };
      return {
        code: typeof code === "string" ? code : "",
        message: typeof message === "string" ? message : "",
      };
    }
  }
  return { code: "", message: "" };
}

/**
 * A value the client refused to put into a URL or query (bad GUID, non-finite number, a key value
 * Dataverse cannot address). Names the value's role and its length, never the value itself.
 */
export class InvalidValueError extends Error {
  override readonly name = "InvalidValueError";
  constructor(
    readonly role: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid ${role}: ${reason}`, options);
  }
}

/** A missing or malformed setting, named. Raised at start-up, before any request. */
export class DataverseConfigError extends Error {
  override readonly name = "DataverseConfigError";
  constructor(
    readonly setting: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Dataverse setting ${setting}: ${reason}`, options);
  }
}
