import { type DriftReport, findDrift } from "./drift.js";
import type { OperationSpec, ResponseSchemas } from "./spec.js";

/** Checks one parsed response body against its spec schema and reports each difference. */
export type DriftCheck = (
  operationId: string,
  operation: OperationSpec,
  status: number,
  body: unknown,
) => Promise<void>;

/** Loads a generated package's response schemas (its `responses.ts`). */
export type LoadResponses = () => Promise<{ responses: ResponseSchemas }>;

/**
 * The drift check of a client that sets `onDrift`. The provider's response schemas are imported
 * on the first answer, not with the client: a client without `onDrift` never parses them, and a
 * bundler that splits code never ships them to it. (The walker itself stays: it is small, and a
 * chunk of its own would split core's shared modules into a third file.) A schema
 * written into the operation table itself (`OperationSpec.responses`) is used when the package
 * has no separate table.
 */
export function driftCheck(
  provider: string,
  onDrift: (report: DriftReport) => void,
  loadResponses: LoadResponses | undefined,
): DriftCheck {
  let loaded: Promise<ResponseSchemas | undefined> | undefined;
  return async (operationId, operation, status, body) => {
    if (body === undefined || typeof body === "string") return;
    loaded ??= loadResponses ? loadResponses().then((module) => module.responses) : undefined;
    let responses: ResponseSchemas | undefined;
    try {
      responses = await loaded;
    } catch {
      // A module that could not be loaded (a chunk a browser failed to fetch) leaves this answer
      // unchecked, not failed: the next answer tries again.
      loaded = undefined;
      return;
    }
    const schema = (responses?.[operationId] ?? operation.responses)?.[String(status)];
    if (!schema) return;
    for (const found of findDrift(schema, body)) {
      try {
        onDrift({ provider, operationId, status, ...found });
      } catch {
        // a throwing callback does not turn a usable answer into a failure
      }
    }
  };
}
