import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The cookie that carries the preview's key after the first visit. */
export const COOKIE = "rapport_preview";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Constant-time equality of a presented secret with the expected one. */
export function sameSecret(presented: string | undefined, expected: string): boolean {
  return presented !== undefined && presented !== "" && timingSafeEqual(digest(presented), digest(expected));
}

/**
 * The value of one cookie of a request, if present. A value that is not valid percent-encoding
 * (`%E0%A4%A`) is no value: the request goes on as one without the cookie (a 401), never a 500.
 */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch (err) {
        if (err instanceof URIError) return undefined;
        throw err;
      }
    }
  }
  return undefined;
}

/**
 * Who may use the preview: whoever holds its key. `npm start` prints a link carrying the key (as Jupyter
 * does); the first visit trades it for an HttpOnly, SameSite=Strict cookie, so the key leaves the address
 * bar and no other site can make the browser act on the preview. Scripts may present the key as a bearer
 * token instead.
 */
export class PreviewKey {
  readonly key: string;

  constructor(key = randomBytes(24).toString("base64url")) {
    this.key = key;
  }

  /** True when the request carries the key in the cookie or as `Authorization: Bearer`. */
  admits(req: IncomingMessage): boolean {
    if (sameSecret(cookieOf(req, COOKIE), this.key)) return true;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
    return sameSecret(bearer, this.key);
  }

  /** The Set-Cookie header value that admits this browser from now on. */
  cookie(): string {
    return `${COOKIE}=${encodeURIComponent(this.key)}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
