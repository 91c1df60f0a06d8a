import { redactSecrets } from "../../../server/src/core/redact";

describe("redactSecrets", () => {
  test.each([
    ["http://user:SECRET@127.0.0.1:1/api/data/v9.2/x", "http://***@127.0.0.1:1/api/data/v9.2/x"],
    [
      "TypeError: Request cannot be constructed from a URL that includes credentials: https://a:b@org.example/",
      "TypeError: Request cannot be constructed from a URL that includes credentials: https://***@org.example/",
    ],
    ["https://ghp_TOKEN@github.com/o/r", "https://***@github.com/o/r"],
    ["http://u:p@ss@host/", "http://***@host/"],
    ["open http://localhost:4280/?key=abc123 now", "open http://localhost:4280/?key=*** now"],
    [
      "https://x.blob.core.windows.net/c?sv=2024&sig=AbC%2B&se=1",
      "https://x.blob.core.windows.net/c?sv=2024&sig=***&se=1",
    ],
    [
      "https://login.example/token?client_id=1&client_secret=s3cr3t",
      "https://login.example/token?client_id=1&client_secret=***",
    ],
  ])("takes the secret out of %s", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
    expect(redactSecrets(text)).not.toMatch(/SECRET|TOKEN|abc123|AbC|s3cr3t|:p@/);
  });

  test("leaves text without credentials alone", () => {
    for (const text of [
      "Dataverse GET /api/data/v9.2/contacts failed: HTTP 401",
      "https://contoso.crm.dynamics.com/api/data/v9.2/contacts?$select=fullname&$top=1",
      "a person@example.com wrote",
      "",
    ])
      expect(redactSecrets(text)).toBe(text);
  });
});
