/** The request, response and error shapes of the local Graph server, and Graph's error body. */

export interface GraphRequest {
  method: string;
  /** Path and query after the version segment, e.g. `/users?$top=5`. */
  url: string;
  headers: Record<string, string | undefined>;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, requestId: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        "request-id": requestId,
        "client-request-id": requestId,
      },
    },
  };
}
