/**
 * Bad usage: a flag, a config file or an environment the user must fix. Found before any
 * request is sent; the command line reports it on stderr with exit code 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
}
