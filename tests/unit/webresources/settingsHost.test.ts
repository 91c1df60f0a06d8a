import { hostContext, type HostWindow, languageTag } from "../../../webresources/settings/src/host";
import { stringsFor } from "../../../webresources/settings/src/strings";

/** A global context as ClientGlobalContext.js.aspx gives it, with only the members the page reads. */
function orgWindow(clientUrl: string, languageId: number, navigatorLanguage = "de-DE"): HostWindow {
  const context = {
    getClientUrl: () => clientUrl,
    userSettings: { languageId },
  } as unknown as Xrm.GlobalContext;
  return { GetGlobalContext: () => context, navigator: { language: navigatorLanguage } };
}

describe("the settings page's host context", () => {
  test("in an org, the Web API is the org's and the language is the user's Dynamics 365 language", () => {
    expect(hostContext(orgWindow("https://contoso.crm4.dynamics.com", 1036))).toEqual({
      apiBase: "https://contoso.crm4.dynamics.com/api/data/v9.2/",
      language: "fr-FR",
      source: "org",
    });
  });

  test("a trailing slash on the client URL does not double the path", () => {
    expect(hostContext(orgWindow("https://contoso.crm.dynamics.com/", 1033)).apiBase).toBe(
      "https://contoso.crm.dynamics.com/api/data/v9.2/",
    );
  });

  test("an LCID the table does not know falls back to the browser's language", () => {
    expect(hostContext(orgWindow("https://contoso.crm.dynamics.com", 9999, "nl-NL")).language).toBe("nl-NL");
  });

  test("without ClientGlobalContext.js.aspx the page stays same-origin with the browser's language", () => {
    expect(hostContext({ navigator: { language: "en-GB" } })).toEqual({
      apiBase: "/api/data/v9.2/",
      language: "en-GB",
      source: "browser",
    });
  });

  test("a GetGlobalContext that throws is treated as no context", () => {
    const win: HostWindow = {
      GetGlobalContext: () => {
        throw new Error("context not ready");
      },
    };
    expect(hostContext(win)).toMatchObject({ apiBase: "/api/data/v9.2/", source: "browser", language: "en" });
  });

  test("LCIDs map to the tags strings.ts is keyed by; a language without strings shows English", () => {
    expect(languageTag(1033)).toBe("en-US");
    expect(languageTag(2057)).toBe("en-GB");
    expect(languageTag(1031)).toBe("de-DE");
    expect(languageTag(undefined)).toBeUndefined();
    expect(stringsFor(languageTag(1031)).pageTitle).toBe(stringsFor("en").pageTitle);
  });
});
