import type { AddressInfo, Server } from "node:net";

/** A server that could not start listening; the message is one line a user can act on. */
export class ListenError extends Error {
  override readonly name = "ListenError";
  /** The system's error code (EADDRINUSE, EACCES, ...), when it gave one. */
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Why listening on host:port failed, in one line: the port or host and what to do, never a stack. */
export function explainListenFailure(err: unknown, host: string, port: number): ListenError {
  const code =
    typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : undefined;
  const message =
    code === "EADDRINUSE"
      ? `port ${port} is already in use`
      : code === "EACCES"
        ? `port ${port} needs more privileges`
        : code === "EADDRNOTAVAIL"
          ? `cannot listen on ${host}:${port}: ${host} is not an address of this machine`
          : `cannot listen on ${host}:${port}: ${err instanceof Error ? err.message : String(err)}`;
  return new ListenError(message, code, { cause: err });
}

/**
 * Starts `server` listening on host:port (0 picks a free port) and resolves with the address it got, or
 * rejects with a {@link ListenError} that explains the failure in one line.
 */
export async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    throw explainListenFailure(err, host, port);
  }
  return server.address() as AddressInfo;
}
