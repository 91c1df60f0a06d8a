import type { AccessToken, TokenCredential } from "@azure/identity";

import {
  credentialTokenProvider,
  DataverseClient,
  DataverseConfigError,
  readDataverseSettings,
  scopeFor,
  tokenProviderFor,
} from "../../../server/src/dataverse/client";
import { json, startServer } from "./localServer";

/** Settings, scopes and tokens. */

describe("settings", () => {
  const secret = {
    DATAVERSE_URL: "https://contoso.crm4.dynamics.com/",
    DATAVERSE_AUTH: "clientSecret",
    DATAVERSE_TENANT_ID: "tenant",
    DATAVERSE_CLIENT_ID: "app",
    DATAVERSE_CLIENT_SECRET: "s3cret-value",
  };

  test("client secret settings are read, trimmed of the trailing slash, and frozen", () => {
    const settings = readDataverseSettings(secret);
    expect(settings).toEqual({
      url: "https://contoso.crm4.dynamics.com",
      auth: { kind: "clientSecret", tenantId: "tenant", clientId: "app", clientSecret: "s3cret-value" },
    });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  test.each([
    ["DATAVERSE_URL", { ...secret, DATAVERSE_URL: undefined }, "missing"],
    ["DATAVERSE_AUTH", { ...secret, DATAVERSE_AUTH: " " }, "missing"],
    [
      "DATAVERSE_AUTH",
      { ...secret, DATAVERSE_AUTH: "password" },
      "expected clientSecret, managedIdentity or static",
    ],
    ["DATAVERSE_CLIENT_SECRET", { ...secret, DATAVERSE_CLIENT_SECRET: "" }, "missing"],
    ["DATAVERSE_TENANT_ID", { ...secret, DATAVERSE_TENANT_ID: undefined }, "missing"],
    ["DATAVERSE_TOKEN", { DATAVERSE_URL: "http://127.0.0.1:5555", DATAVERSE_AUTH: "static" }, "missing"],
    [
      "DATAVERSE_URL",
      { ...secret, DATAVERSE_URL: "http://contoso.crm.dynamics.com" },
      "expected https (http only for localhost)",
    ],
    ["DATAVERSE_URL", { ...secret, DATAVERSE_URL: "contoso" }, "not a URL"],
    [
      "DATAVERSE_MAX_CONCURRENCY",
      { ...secret, DATAVERSE_MAX_CONCURRENCY: "60" },
      "expected an integer from 1 to 52",
    ],
  ])("names %s when it is wrong (%#)", (setting, config, reason) => {
    const attempt = () => readDataverseSettings(config);
    expect(attempt).toThrow(DataverseConfigError);
    expect(attempt).toThrow(`Dataverse setting ${setting}: ${reason}`);
    expect(attempt).not.toThrow("s3cret-value");
  });

  test("managed identity (optionally user-assigned) and static tokens", () => {
    expect(
      readDataverseSettings({
        DATAVERSE_URL: "https://contoso.crm.dynamics.com",
        DATAVERSE_AUTH: "managedIdentity",
      }).auth,
    ).toEqual({ kind: "managedIdentity" });
    expect(
      readDataverseSettings({
        DATAVERSE_URL: "https://contoso.crm.dynamics.com",
        DATAVERSE_AUTH: "managedIdentity",
        DATAVERSE_MANAGED_IDENTITY_CLIENT_ID: "mi-client",
      }).auth,
    ).toEqual({ kind: "managedIdentity", clientId: "mi-client" });
    expect(
      readDataverseSettings({
        DATAVERSE_URL: "http://localhost:8080",
        DATAVERSE_AUTH: "static",
        DATAVERSE_TOKEN: "t",
      }),
    ).toEqual({ url: "http://localhost:8080", auth: { kind: "static", token: "t" } });
  });

  test("a client from static settings sends the token to the local endpoint", async () => {
    const server = await startServer((_, res) => json(res, 200, { value: [] }));
    try {
      const settings = readDataverseSettings({
        DATAVERSE_URL: server.url,
        DATAVERSE_AUTH: "static",
        DATAVERSE_TOKEN: "local",
      });
      await DataverseClient.fromSettings(settings).retrieveAll("accounts");
      expect(server.requests[0]?.headers["authorization"]).toBe("Bearer local");
      expect(await tokenProviderFor(settings)()).toBe("local");
    } finally {
      await server.close();
    }
  });
});

describe("tokens from a credential", () => {
  test("the scope is the org origin with /.default", () => {
    expect(scopeFor("https://contoso.crm.dynamics.com/")).toBe("https://contoso.crm.dynamics.com/.default");
    expect(scopeFor("https://contoso.crm.dynamics.com/api/data/v9.2")).toBe(
      "https://contoso.crm.dynamics.com/.default",
    );
  });

  test("tokens are reused until five minutes before expiry, and concurrent callers share one refresh", async () => {
    let t = 0;
    const scopes: Array<string | string[]> = [];
    const credential: TokenCredential = {
      getToken: async (scope): Promise<AccessToken> => {
        scopes.push(scope);
        await new Promise((r) => setImmediate(r));
        return { token: `token${scopes.length}`, expiresOnTimestamp: t + 60 * 60_000 };
      },
    };
    const token = credentialTokenProvider(credential, "https://contoso.crm.dynamics.com", () => t);
    expect(await Promise.all([token(), token(), token()])).toEqual(["token1", "token1", "token1"]);
    t += 54 * 60_000;
    expect(await token()).toBe("token1");
    t += 2 * 60_000;
    expect(await token()).toBe("token2");
    expect(scopes).toEqual([
      "https://contoso.crm.dynamics.com/.default",
      "https://contoso.crm.dynamics.com/.default",
    ]);
  });

  test("a credential that issues no token is a configuration error", async () => {
    const credential: TokenCredential = { getToken: async () => null };
    await expect(
      credentialTokenProvider(credential, "https://contoso.crm.dynamics.com")(),
    ).rejects.toBeInstanceOf(DataverseConfigError);
  });
});
