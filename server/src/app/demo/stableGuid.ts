import { createHash } from "node:crypto";

/**
 * A GUID that is the same every run for the same name (the layout of an RFC 4122 name-based, version 5
 * UUID over sha1), so the demo CRM seeds the same records on every machine and a reseed is an upsert.
 */
export function stableGuid(name: string): string {
  const b = createHash("sha1").update(`rapport-demo\u0000${name}`).digest();
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
