/** The Web API router of the local endpoint: one request in, one response out (route.ts). */
export { BASE_PATH, type DvRequest, type RouteCall, type RouteContext } from "./call";
export { handleRequest, route } from "./route";
