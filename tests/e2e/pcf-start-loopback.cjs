// Preloaded (node --require) into pcf-start by tests/e2e/pcf-start.test.ts. pcf-start passes browser-sync no
// `listen` host and has no option for one, so its server listens on every interface; on a shared machine a
// test harness should not be reachable from the network. This binds any server given a port but no host
// to 127.0.0.1. pcf-start's own code runs unchanged.
"use strict";
const net = require("node:net");

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" && (args[1] === undefined || args[1] === null)) {
    args[1] = "127.0.0.1";
  } else if (typeof args[0] === "number" && typeof args[1] === "function") {
    args.splice(1, 0, "127.0.0.1");
  } else if (typeof args[0] === "object" && args[0] !== null && args[0].port !== undefined && !args[0].host) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};
