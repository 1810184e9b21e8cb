export * as adversarial from "./adversarial.js";
export {
  type Fixture,
  type FixtureRequest,
  type Handler,
  type Reply,
  type ReplySpec,
  type RouteStats,
  sequence,
  startFixture,
} from "./fixture.js";
export { type RunningPostgres, startPostgres } from "./postgres.js";
export { freePort, type RunningMock, type StartPrismOptions, startPrism } from "./prism.js";
export { specPath } from "./specs.js";
export {
  collect,
  csvObjects,
  fakeFetch,
  memoryOutput,
  parseCsv,
  streamOf,
} from "./testing.js";
