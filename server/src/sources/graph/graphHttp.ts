import {
  AuthenticationHandler,
  type AuthenticationProvider,
  Client,
  type Context,
  GraphError,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from "@microsoft/microsoft-graph-client";
import { Agent, fetch as undiciFetch } from "undici";

import type { TokenProvider } from "../../net/auth";

/**
 * The Graph SDK client Rapport uses: the SDK's own authentication and retry middleware (429, 503 and
 * 504, honouring Retry-After), ending in a fetch that can trust an extra certificate authority (the
 * local Graph server's self-signed certificate) without turning TLS checks off for anything else.
 */

export interface GraphClientOptions {
  /** `https://graph.microsoft.com/` or the local server's. */
  baseUrl: string;
  token: TokenProvider;
  /** PEM of a certificate to trust besides the system's (the local server). */
  ca?: string;
  /** Retries of one request on 429/503/504 (the SDK allows at most 10). */
  maxRetries?: number;
}

/** The terminal middleware: undici's fetch, with a dispatcher that trusts `ca` when given. */
class FetchHandler implements Middleware {
  constructor(private readonly dispatcher: Agent | undefined) {}

  async execute(context: Context): Promise<void> {
    const init = { ...(context.options ?? {}), ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}) };
    context.response = (await undiciFetch(
      context.request as string,
      init as Parameters<typeof undiciFetch>[1],
    )) as unknown as Response;
  }
}

export function createGraphClient(options: GraphClientOptions): Client {
  const auth: AuthenticationProvider = { getAccessToken: () => options.token() };
  const chain: Middleware[] = [
    new AuthenticationHandler(auth),
    new RetryHandler(new RetryHandlerOptions(1, options.maxRetries ?? 10)),
    new FetchHandler(options.ca ? new Agent({ connect: { ca: options.ca } }) : undefined),
  ];
  for (let i = 0; i < chain.length - 1; i++) chain[i]!.setNext?.(chain[i + 1]!);
  const host = new URL(options.baseUrl).hostname.toLowerCase();
  return Client.initWithMiddleware({
    middleware: chain,
    baseUrl: options.baseUrl,
    // The SDK sends the token only to Graph's hosts and these (bare host name, no port).
    customHosts: new Set([host]),
  });
}

/** A Graph answer other than success: status and Graph's error code, never the message text. */
export class GraphRequestError extends Error {
  override readonly name = "GraphRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`Graph answered ${status} ${code}`, options);
  }

  /** An expired delta (410 Gone, SyncStateNotFound and its variants): the folder must be read again. */
  get expired(): boolean {
    return this.status === 410 || /syncstatenotfound|syncstateinvalid/i.test(this.code);
  }
}

export function asRequestError(e: unknown): GraphRequestError | undefined {
  if (e instanceof GraphRequestError) return e;
  if (e instanceof GraphError && e.statusCode > 0)
    return new GraphRequestError(e.statusCode, e.code ?? "", { cause: e });
  return undefined;
}
