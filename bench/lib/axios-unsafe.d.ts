// axios exports its URL helpers under axios/unsafe/* without types; part 1's custom adapter
// uses two of them, as axios's own adapters do. Their signatures, from axios's JSDoc.

declare module "axios/unsafe/core/buildFullPath.js" {
  /** baseURL + requestedURL, unless requestedURL is already absolute. */
  export default function buildFullPath(
    baseURL: string | undefined,
    requestedURL: string | undefined,
    allowAbsoluteUrls?: boolean,
  ): string;
}

declare module "axios/unsafe/helpers/buildURL.js" {
  /** `url` with `params` appended as its query string. */
  export default function buildURL(url: string, params?: object): string;
}
