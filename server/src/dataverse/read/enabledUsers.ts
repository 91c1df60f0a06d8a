import type { DataverseClient } from "../client";

/**
 * The internal e-mail addresses of the org's enabled users (systemusers not disabled, with an address):
 * where the organisation's domain is inferred from when nobody names it.
 */
export async function readEnabledUserAddresses(client: DataverseClient): Promise<string[]> {
  const rows = await client.retrieveAll("systemusers", { select: ["internalemailaddress", "isdisabled"] });
  const addresses: string[] = [];
  for (const u of rows) {
    const address = u["internalemailaddress"];
    if (u["isdisabled"] !== true && typeof address === "string" && address.includes("@"))
      addresses.push(address.trim().toLowerCase());
  }
  return addresses;
}
