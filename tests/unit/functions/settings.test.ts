import { readScaleSettings, SettingsError } from "../../../server/src/functions/settings";

const base = {
  AzureWebJobsStorage__accountName: "rapportstore",
  RAPPORT_ORG_DOMAINS: "contoso.com",
  RAPPORT_MAILBOX_FOLDER: "/tmp/mail",
  GRAPH_CLIENT_STATE: "a-client-state",
};
const reference =
  "@Microsoft.KeyVault(SecretUri=https://rapport-kv.vault.azure.net/secrets/graph-client-state/)";

describe("scale settings", () => {
  test("incremental runs are on unless RAPPORT_INCREMENTAL is false; another value is named", () => {
    expect(readScaleSettings(base).incremental).toBe(true);
    expect(readScaleSettings({ ...base, RAPPORT_INCREMENTAL: "FALSE" }).incremental).toBe(false);
    expect(() => readScaleSettings({ ...base, RAPPORT_INCREMENTAL: "no" })).toThrow(
      "RAPPORT_INCREMENTAL: expected true or false",
    );
  });

  test("a resolved secret is read as it is", () => {
    expect(readScaleSettings(base).graphClientState).toBe("a-client-state");
  });

  test("an unresolved Key Vault reference counts as missing, named, and its text is never quoted", () => {
    let error: unknown;
    try {
      readScaleSettings({ ...base, GRAPH_CLIENT_STATE: reference });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).missing).toEqual([
      "GRAPH_CLIENT_STATE (Key Vault reference not resolved)",
    ]);
    expect((error as Error).message).not.toContain("vault.azure.net");
  });

  test("every unresolved reference is named at once, the Graph and Dataverse secrets too", () => {
    const env = {
      ...base,
      RAPPORT_MAILBOX_FOLDER: "",
      GRAPH_CLIENT_STATE: reference,
      GRAPH_AUTH: "clientSecret",
      GRAPH_TENANT_ID: "00000000-0000-0000-0000-000000000001",
      GRAPH_CLIENT_ID: "00000000-0000-0000-0000-000000000002",
      GRAPH_CLIENT_SECRET: ` ${reference.toLowerCase()}`,
      DATAVERSE_URL: "https://contoso.crm.dynamics.com",
      DATAVERSE_AUTH: "clientSecret",
      DATAVERSE_TENANT_ID: "00000000-0000-0000-0000-000000000001",
      DATAVERSE_CLIENT_ID: "00000000-0000-0000-0000-000000000002",
      DATAVERSE_CLIENT_SECRET: reference,
    };
    let error: unknown;
    try {
      readScaleSettings(env);
    } catch (err) {
      error = err;
    }
    expect((error as SettingsError).missing).toEqual([
      "DATAVERSE_CLIENT_SECRET (Key Vault reference not resolved)",
      "GRAPH_CLIENT_SECRET (Key Vault reference not resolved)",
      "GRAPH_CLIENT_STATE (Key Vault reference not resolved)",
    ]);
    expect((error as Error).message).not.toMatch(/vault\.azure\.net/i);
  });
});
