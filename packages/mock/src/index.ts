export { freePort, type RunningMock, type StartPrismOptions, startPrism } from "./prism.js";
export { specPath } from "./specs.js";
