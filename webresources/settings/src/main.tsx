import * as React from "react";
import * as ReactDOM from "react-dom";

import { settingsApi } from "./api";
import { App } from "./App";
import { stringsFor } from "./strings";

// Entry point of the settings web resource (bundled into ../settings.js). No data leaves the origin.
const root = document.getElementById("root");
if (root) {
  const strings = stringsFor(navigator.language);
  document.title = strings.pageTitle;
  ReactDOM.render(<App api={settingsApi((input, init) => fetch(input, init))} strings={strings} />, root);
}
