/** The package version, injected at build time (falls back for unbundled test runs). */
declare const __CONVLENS_VERSION__: string | undefined;
export const VERSION: string = typeof __CONVLENS_VERSION__ === 'string' ? __CONVLENS_VERSION__ : '0.0.0-dev';
