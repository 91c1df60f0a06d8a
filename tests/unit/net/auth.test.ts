import type { TokenCredential } from "@azure/identity";

import {
  credentialTokenProvider,
  NoTokenError,
  scopeFor,
  tokenProviderFor,
} from "../../../server/src/net/auth";

describe("net/auth: tokens for any Entra-protected API", () => {
  test("the scope is the resource's origin", () => {
    expect(scopeFor("https://graph.microsoft.com/v1.0/users")).toBe("https://graph.microsoft.com/.default");
  });

  test("a credential that issues no token names the scope, not Dataverse", async () => {
    const credential: TokenCredential = { getToken: async () => null };
    const failed = credentialTokenProvider(credential, "https://graph.microsoft.com")();
    await expect(failed).rejects.toBeInstanceOf(NoTokenError);
    await expect(failed).rejects.toThrow("no token was issued for https://graph.microsoft.com/.default");
  });

  test("a static token needs no resource", async () => {
    await expect(
      tokenProviderFor({ kind: "static", token: "abc" }, "https://graph.microsoft.com")(),
    ).resolves.toBe("abc");
  });
});
