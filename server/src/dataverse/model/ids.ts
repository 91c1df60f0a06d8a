import { createHash } from "node:crypto";

import type { RoleDef } from "@rapport/model";

/**
 * Stable GUIDs (RFC 4122 version 5, SHA-1 name-based) for the components Dataverse identifies by id:
 * forms, views, roles, web resources. Upgrades match components by id, so an id must never change:
 * it is derived from a key that names the component (e.g. `view:opportunity:my-open-by-relationship`),
 * and that key must never be renamed once shipped.
 */
const NAMESPACE = "2f034d17-69d6-4b5f-9b4d-5bf1035072aa"; // Rapport's own namespace, chosen once.

export function stableGuid(key: string): string {
  const ns = Buffer.from(NAMESPACE.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(key, "utf8").digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `{guid}`, the form solution XML writes ids in. */
export const braced = (key: string): string => `{${stableGuid(key)}}`;

/** A security role's id: fixed by its key, so the solution and the local endpoint agree on it. */
export const roleId = (r: RoleDef): string => braced(`role:${r.key}`);
