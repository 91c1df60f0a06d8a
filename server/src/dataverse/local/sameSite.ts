import type { IncomingHttpHeaders } from "node:http";

import { DataverseHttpError, ERROR_CODES } from "./errors";

/**
 * Same-site request forgery: a browser sends the preview's SameSite=Strict cookie with requests from
 * any page on `http://localhost:<another port>` (the same site), and a plain HTML form or a no-cors
 * fetch can POST `text/plain`, form-encoded or `multipart/form-data` bodies without a CORS preflight.
 * So every state-changing request must carry a content type no form can send (`application/json`;
 * `multipart/mixed` for `$batch`), and a browser request must come from this server's own origin
 * (`Sec-Fetch-Site: same-origin` or `none`, and `Origin` equal to it when present). Clients that are
 * not browsers send neither header and are not affected.
 */

const STATE_CHANGING = new Set(["POST", "PATCH", "PUT", "DELETE", "MERGE"]);

/** The refusal for a request a hostile page could have made, or undefined when it is acceptable. */
export function crossSiteRefusal(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): DataverseHttpError | undefined {
  if (!STATE_CHANGING.has(method)) return undefined;
  const otherSite = otherSiteRefusal(headers);
  if (otherSite) return otherSite;
  // DELETE carries no body; the others must say what they send, in a type a form cannot send.
  return method === "DELETE" ? undefined : contentTypeRefusal(method, path, headers);
}

/** A browser's request from a page of another origin (by Sec-Fetch-Site, then Origin). */
function otherSiteRefusal(headers: IncomingHttpHeaders): DataverseHttpError | undefined {
  const fetchSite = headers["sec-fetch-site"];
  if (fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none")
    return forbidden(`Sec-Fetch-Site is '${fetchSite.slice(0, 20)}'`);
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  const own = headers.host ? `http://${headers.host}` : undefined;
  return origin !== own ? forbidden("its Origin is not this server's") : undefined;
}

/** A body in a type a form could send: JSON is required (multipart/mixed for `$batch`). */
function contentTypeRefusal(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): DataverseHttpError | undefined {
  const type = (headers["content-type"] ?? "").toLowerCase();
  const batch = path.split("?")[0]?.endsWith("/$batch") === true;
  const expected = batch ? "multipart/mixed" : "application/json";
  if (type.startsWith(expected)) return undefined;
  return new DataverseHttpError(
    415,
    ERROR_CODES.payload,
    `${method} ${batch ? "$batch " : ""}needs Content-Type: ${expected}${type ? `, not '${type.split(";")[0]?.slice(0, 60)}'` : ""}.`,
  );
}

function forbidden(why: string): DataverseHttpError {
  return new DataverseHttpError(
    403,
    ERROR_CODES.authentication,
    `A state-changing request from another site is refused: ${why}.`,
  );
}
