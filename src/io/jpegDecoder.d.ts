/**
 * Types for jpeg-js's decoder module alone (jpeg-js/lib/decoder.js, CommonJS `module.exports =
 * decode`): importing it instead of the package's index leaves the encoder, which reaches for
 * Node's Buffer, out of the bundles. Only the typed-array form is declared.
 */
declare module 'jpeg-js/lib/decoder' {
  function decode(
    jpegData: Uint8Array,
    opts: {
      useTArray: true;
      colorTransform?: boolean;
      formatAsRGBA?: boolean;
      tolerantDecoding?: boolean;
      maxResolutionInMP?: number;
      maxMemoryUsageInMB?: number;
    },
  ): { width: number; height: number; data: Uint8Array; comments?: string[] };
  export = decode;
}
