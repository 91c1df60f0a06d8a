import * as React from "react";
import * as ReactDOM from "react-dom";

import { settingsApi } from "./api";
import { App } from "./App";
import { hostContext, type HostWindow } from "./host";
import { stringsFor } from "./strings";

// Entry point of the settings web resource (bundled into ../settings.js). No data leaves the origin.
const root = document.getElementById("root");
if (root) {
  const host = hostContext(window as Window & HostWindow);
  const strings = stringsFor(host.language);
  document.title = strings.pageTitle;
  const api = settingsApi((input, init) => fetch(input, init), host.apiBase);
  ReactDOM.render(<App api={api} strings={strings} />, root);
}
