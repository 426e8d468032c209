export * from './values';
export * from './events';
export * from './commands';
