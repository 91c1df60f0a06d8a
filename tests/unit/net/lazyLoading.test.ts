// Heavy libraries load when a command needs them, not with the CLI: @azure/identity for a token from Entra,
// selfsigned for the local Graph server's certificate. Each jest.mock factory runs only when its module is loaded.

const mockLoaded = { identity: 0, selfsigned: 0 };
const mockCredentials: unknown[][] = [];

jest.mock("@azure/identity", () => {
  mockLoaded.identity++;
  class ClientSecretCredential {
    constructor(...args: unknown[]) {
      mockCredentials.push(args);
    }
    async getToken() {
      return { token: "from-entra", expiresOnTimestamp: Date.now() + 3_600_000 };
    }
  }
  return { ClientSecretCredential, ManagedIdentityCredential: ClientSecretCredential };
});
jest.mock("selfsigned", () => {
  mockLoaded.selfsigned++;
  return jest.requireActual("selfsigned");
});

// Loaded inside the tests, after the counters above exist (imports would be hoisted above them).
test("building every CLI command loads neither @azure/identity nor selfsigned", async () => {
  const { buildProgram } = await import("../../../server/src/cli/main");
  expect(buildProgram().commands.length).toBeGreaterThan(5);
  expect(mockLoaded).toEqual({ identity: 0, selfsigned: 0 });
});

test("@azure/identity loads on the first token asked for, once, with the configured credential", async () => {
  const { tokenProviderFor } = await import("../../../server/src/net/auth");
  const provider = tokenProviderFor(
    { kind: "clientSecret", tenantId: "tenant", clientId: "client", clientSecret: "secret" },
    "https://contoso.crm.dynamics.com",
  );
  expect(mockLoaded.identity).toBe(0);
  await expect(provider()).resolves.toBe("from-entra");
  await expect(provider()).resolves.toBe("from-entra");
  expect(mockLoaded.identity).toBe(1);
  expect(mockCredentials).toEqual([["tenant", "client", "secret"]]);
});
