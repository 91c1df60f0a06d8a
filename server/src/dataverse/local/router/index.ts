/**
 * The Web API router of the local endpoint: one request in, one response out (route.ts). (Not named
 * `routes/`: a build over an older dist would find the stale `routes.js` before `routes/index.js`.)
 */
export { BASE_PATH, type DvRequest, type RouteCall, type RouteContext } from "./call";
export { handleRequest, route } from "./route";
