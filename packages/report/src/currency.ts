/** An ISO 4217 code as the report takes it: three upper-case letters, not looked up in a list. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;
