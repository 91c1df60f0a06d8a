import { DynamicsWebApi } from "dynamics-web-api";

import {
  type LocalDataverse,
  type LocalDataverseOptions,
  startLocalDataverse,
} from "../../../server/src/dataverse/local";

/** Starts the local endpoint on a free loopback port and talks to it over real HTTP (node fetch). */

export const TOKEN = "test-token-0123456789";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface Api {
  server: LocalDataverse;
  call(
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  get(path: string, headers?: Record<string, string>): Promise<ApiResponse>;
}

export async function startApi(options: Partial<LocalDataverseOptions> = {}): Promise<Api> {
  const server = await startLocalDataverse({ db: ":memory:", token: TOKEN, ...options });
  const call: Api["call"] = async (method, path, init = {}) => {
    const body =
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body);
    const res = await fetch(path.startsWith("http") ? path : `${server.serviceRoot}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        Accept: "application/json",
        "OData-Version": "4.0",
        "OData-MaxVersion": "4.0",
        "If-None-Match": "null",
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...init.headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text && /json/.test(res.headers.get("content-type") ?? "") ? JSON.parse(text) : undefined;
    } catch (err) {
      throw new Error(`invalid JSON from ${method} ${path}: ${text.slice(0, 200)}`, { cause: err });
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return { server, call, get: (path, headers) => call("GET", path, headers ? { headers } : {}) };
}

/**
 * DynamicsWebApi 2.5 (a client nobody here wrote) on the endpoint, as a Node application uses it:
 * `serverUrl` and `onTokenRefresh` returning the token.
 */
export const dynamicsWebApi = (api: Api): DynamicsWebApi =>
  new DynamicsWebApi({
    serverUrl: api.server.url,
    onTokenRefresh: () => Promise.resolve(TOKEN),
    dataApi: { version: "9.2" },
    propagateErrors: true,
  });

export const ANNOTATIONS = { Prefer: 'odata.include-annotations="*"' };

/** Captures what the CLI prints from now on (undo with jest.restoreAllMocks()). */
export function captureOutput(): { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  jest
    .spyOn(process.stdout, "write")
    .mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  jest
    .spyOn(process.stderr, "write")
    .mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  return { out: () => out, err: () => err };
}
