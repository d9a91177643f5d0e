export * from './errors';
export * from './wire';
export * from './methods';
export * from './client';
export * from './domains/helper';
export * from './bridge';
export * from './domains/primaries';
export * from './domains/discovery';
