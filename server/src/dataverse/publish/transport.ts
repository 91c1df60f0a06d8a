import type { Filter } from "../client";

/**
 * What the publisher needs from Dataverse, as a port: read many queries at once, and apply many writes
 * with each one's outcome. The Web API client implements it with `$batch` (publishTransport.ts).
 */
export interface ReadQuery {
  entitySet: string;
  select: readonly string[];
  filter?: Filter;
}

export interface WriteOp {
  method: "PATCH" | "DELETE";
  /** Relative to the Web API root: `rp_connections(rp_key='…')`. */
  path: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface WriteOutcome {
  ok: boolean;
  status: number;
  /** The Web API error code and message when the write failed. */
  code?: string;
  message?: string;
}

export interface PublishTransport {
  /** Runs the queries (in as few HTTP requests as possible) and returns every row of each, pages followed. */
  readMany(queries: readonly ReadQuery[]): Promise<Record<string, unknown>[][]>;
  /** Applies the writes in order, each independently (one failure does not stop the others). */
  write(ops: readonly WriteOp[], onProgress?: (done: number) => void): Promise<WriteOutcome[]>;
}
