/** The ConvLens CNN engine: pure TypeScript ops on flat Float32Arrays, exact per framework. */
export * from './errors';
export * from './tensor';
export * from './geometry';
export * from './conv';
export * from './convTranspose';
export * from './pool';
export * from './dense';
export * from './shapeOps';
export * from './norm';
export * from './activations';
