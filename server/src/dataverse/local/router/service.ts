import { badQuery, methodNotAllowed } from "../errors";
import { metadataDocument, serviceDocument } from "../metadata";
import { OPPORTUNITY_ACTION_ROUTES } from "../opportunityClose";
import { SHARING_ACTION_ROUTES } from "../sharing";
import { whoAmI } from "../whoAmI";
import { type DvResponse, jsonResponse, noContent } from "../wire";
import { requireGet, type RouteCall } from "./call";

/**
 * The service's own resources: the service document, `$metadata`, `WhoAmI`, the unbound actions that
 * close an opportunity and those that share a record, and `$batch` inside a batch.
 */

function serviceDocumentRoute(call: RouteCall): DvResponse {
  requireGet(call);
  return jsonResponse(200, serviceDocument(call.ctx.serviceRoot));
}

function metadataRoute(call: RouteCall): DvResponse {
  requireGet(call);
  return {
    status: 200,
    headers: { "Content-Type": "application/xml", "OData-Version": "4.0" },
    body: metadataDocument(),
  };
}

const whoAmIRoute = (call: RouteCall): DvResponse =>
  jsonResponse(200, whoAmI(call.ctx, call.ctx.serviceRoot, call.req.method));

function nestedBatch(call: RouteCall): DvResponse {
  // A top-level POST $batch never gets here (the server hands it to the batch runner).
  if (call.req.method !== "POST") throw methodNotAllowed(call.req.method);
  throw badQuery("A batch request cannot contain another batch request.");
}

/** By the path after the service root. */
export const SERVICE_ROUTES = new Map<string, (call: RouteCall) => DvResponse>([
  ["", serviceDocumentRoute],
  ["$metadata", metadataRoute],
  ["WhoAmI", whoAmIRoute],
  ["WhoAmI()", whoAmIRoute],
  ["$batch", nestedBatch],
  ...[...OPPORTUNITY_ACTION_ROUTES, ...SHARING_ACTION_ROUTES].map(
    ([name, run]): [string, (call: RouteCall) => DvResponse] => [
      name,
      (call) => {
        run(call);
        return noContent();
      },
    ],
  ),
]);
