export * from './values';
export * from './events';
export * from './commands';
export * from './errors';
export * from './state';
export * from './decide';
export * from './fold';
