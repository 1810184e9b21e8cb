/**
 * The provider's own example of an answer: the one `example`, or, where the spec puts a last
 * page first for the mock (the mock answers the first example, and a cursor list whose example
 * says more pages follow would walk in circles), the named example `reference`.
 */
export function referenceExample(media: {
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}): unknown {
  return media.example ?? media.examples?.reference?.value;
}
