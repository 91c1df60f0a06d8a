// The preview's stand-in for the org's /WebResources/ClientGlobalContext.js.aspx: it defines GetGlobalContext()
// for HTML web resources, with the members Rapport's pages read (see webresources/settings/src/host.ts). The
// user's language is 1033 (English) unless the page is opened with ?lcid=<n>, so a test can pick another.
(function () {
  var lcid = Number(new URLSearchParams(window.location.search).get("lcid")) || 1033;
  var context = {
    getClientUrl: function () {
      return window.location.origin;
    },
    getVersion: function () {
      return "9.2.0.0";
    },
    userSettings: { languageId: lcid, userName: "Preview user" },
    organizationSettings: { languageId: 1033, uniqueName: "rapportpreview" },
  };
  window.GetGlobalContext = function () {
    return context;
  };
})();
