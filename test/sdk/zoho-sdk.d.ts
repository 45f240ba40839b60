/** @zohocrm/nodejs-sdk-8.0 ships no type declarations; its test (zoho.sdk.test.ts) uses it untyped. */
declare module '@zohocrm/nodejs-sdk-8.0';
