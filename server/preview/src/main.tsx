import * as React from "react";
import * as ReactDOM from "react-dom";

import { App } from "./App";

// React 16.14 (the platform's version): render, not createRoot.
ReactDOM.render(<App />, document.getElementById("root"));
