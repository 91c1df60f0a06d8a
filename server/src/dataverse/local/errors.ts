/**
 * Errors of the local Dataverse endpoint. `DataverseHttpError` is what a request handler throws: the
 * server turns it into Dataverse's error body `{"error":{"code":"0x…","message":"…"}}` with its status.
 * `LocalDataverseStartError` is a start-up problem (not a database, port in use) that hosts print as one
 * line without a stack.
 */

/** Dataverse error codes used here (HRESULT-style hex, as Dataverse writes them). */
export const ERROR_CODES = {
  /** OData URI / query problems (unsupported option, bad syntax). */
  query: "0x80060888",
  /** Unknown entity set or segment. */
  segmentNotFound: "0x8006088a",
  /** Unknown property in $select/$filter/$orderby (Dataverse sends 0x0 here). */
  propertyNotFound: "0x0",
  /** Payload problems (unknown property, wrong type, bad @odata.bind). */
  payload: "0x80048d19",
  /** Validation (length, range, option value). */
  validation: "0x80044331",
  objectDoesNotExist: "0x80040217",
  duplicateRecord: "0x80040237",
  concurrencyVersionMismatch: "0x80060882",
  authentication: "0x8005f101",
  throttled: "0x80072322",
  unexpected: "0x80040216",
} as const;

export class DataverseHttpError extends Error {
  override readonly name = "DataverseHttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.headers = options?.headers ?? {};
  }
  /** Extra response headers (Retry-After on 429). */
  readonly headers: Record<string, string>;
}

export const badQuery = (message: string): DataverseHttpError =>
  new DataverseHttpError(400, ERROR_CODES.query, message);

export const badPayload = (message: string): DataverseHttpError =>
  new DataverseHttpError(400, ERROR_CODES.payload, message);

export const propertyNotFound = (logicalName: string, property: string): DataverseHttpError =>
  new DataverseHttpError(
    400,
    ERROR_CODES.propertyNotFound,
    `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${logicalName}'.`,
  );

export const segmentNotFound = (segment: string): DataverseHttpError =>
  new DataverseHttpError(
    404,
    ERROR_CODES.segmentNotFound,
    `Resource not found for the segment '${segment}'.`,
  );

export const recordNotFound = (logicalName: string, id: string): DataverseHttpError =>
  new DataverseHttpError(
    404,
    ERROR_CODES.objectDoesNotExist,
    `Entity '${logicalName}' With Id = ${id} Does Not Exist`,
  );

export const keyNotFound = (logicalName: string, keyText: string): DataverseHttpError =>
  new DataverseHttpError(
    404,
    ERROR_CODES.objectDoesNotExist,
    `A record with the specified key values does not exist in ${logicalName} entity (${keyText})`,
  );

export const duplicateKey = (): DataverseHttpError =>
  new DataverseHttpError(
    412,
    ERROR_CODES.duplicateRecord,
    "A record with matching key values already exists.",
  );

export const versionMismatch = (): DataverseHttpError =>
  new DataverseHttpError(
    412,
    ERROR_CODES.concurrencyVersionMismatch,
    "The version of the existing record doesn't match the RowVersion property provided.",
  );

export const methodNotAllowed = (method: string): DataverseHttpError =>
  new DataverseHttpError(
    405,
    ERROR_CODES.query,
    `The requested resource does not support http method '${method}'.`,
  );

/** A problem starting the endpoint: printed as one line by hosts, never as a stack trace. */
export class LocalDataverseStartError extends Error {
  override readonly name = "LocalDataverseStartError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
