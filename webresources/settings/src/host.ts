/// <reference types="xrm" />

import { API_BASE } from "./constants";

/**
 * What the page needs from the app that hosts it. In an org, the platform's ClientGlobalContext.js.aspx
 * (referenced by index.html) defines GetGlobalContext(): the org's URL and the signed-in user's language
 * come from there, as Microsoft documents for HTML web resources (Xrm itself is not available to them).
 * Outside an org (a test page, the file opened directly) the page falls back to same-origin paths and the
 * browser's language.
 */
export interface HostContext {
  /** The Dataverse Web API root, ending in "/". */
  apiBase: string;
  /** A BCP 47 language tag for the page's strings. */
  language: string;
  /** Where the values came from. */
  source: "org" | "browser";
}

/** The part of the window the page reads; GetGlobalContext is defined by ClientGlobalContext.js.aspx. */
export interface HostWindow {
  GetGlobalContext?: () => Xrm.GlobalContext;
  navigator?: { language?: string };
}

/** The Web API version the page speaks (the model's requests are written for it). */
const WEB_API_VERSION = "v9.2";

/**
 * Dynamics 365's user-interface languages by LCID (userSettings.languageId), as tags. The page shows English
 * for a language it has no strings for; a language added to strings.ts is found through this table.
 */
const LCID_TAGS: Readonly<Record<number, string>> = {
  1025: "ar-SA",
  1028: "zh-TW",
  1029: "cs-CZ",
  1030: "da-DK",
  1031: "de-DE",
  1032: "el-GR",
  1033: "en-US",
  1035: "fi-FI",
  1036: "fr-FR",
  1037: "he-IL",
  1038: "hu-HU",
  1040: "it-IT",
  1041: "ja-JP",
  1042: "ko-KR",
  1043: "nl-NL",
  1044: "nb-NO",
  1045: "pl-PL",
  1046: "pt-BR",
  1049: "ru-RU",
  1053: "sv-SE",
  1055: "tr-TR",
  2052: "zh-CN",
  2057: "en-GB",
  2070: "pt-PT",
  3076: "zh-HK",
  3082: "es-ES",
  3084: "fr-CA",
};

/** The tag for an LCID, or undefined when it is not one of the app's languages. */
export function languageTag(lcid: number | undefined): string | undefined {
  return lcid === undefined ? undefined : LCID_TAGS[lcid];
}

/** The host's context: the org's when the page runs in one, the browser's otherwise. */
export function hostContext(win: HostWindow): HostContext {
  const browserLanguage = win.navigator?.language ?? "en";
  const context = orgContext(win);
  if (!context) return { apiBase: API_BASE, language: browserLanguage, source: "browser" };
  const clientUrl = context.getClientUrl().replace(/\/+$/, "");
  return {
    apiBase: `${clientUrl}/api/data/${WEB_API_VERSION}/`,
    language: languageTag(context.userSettings?.languageId) ?? browserLanguage,
    source: "org",
  };
}

/** GetGlobalContext(), or undefined when the script that defines it did not load or throws. */
function orgContext(win: HostWindow): Xrm.GlobalContext | undefined {
  if (typeof win.GetGlobalContext !== "function") return undefined;
  try {
    return win.GetGlobalContext();
  } catch {
    // A broken or partial context is treated as no context: the page still works same-origin.
    return undefined;
  }
}
